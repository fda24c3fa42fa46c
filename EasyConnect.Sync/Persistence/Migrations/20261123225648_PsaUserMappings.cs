using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PsaUserMappings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "psa_user_mappings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    member_psa_id = table.Column<string>(type: "text", nullable: false),
                    method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    mapped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    mapped_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_user_mappings", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_psa_user_mappings_connection_id_member_psa_id",
                table: "psa_user_mappings",
                columns: new[] { "connection_id", "member_psa_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_psa_user_mappings_connection_id_user_id",
                table: "psa_user_mappings",
                columns: new[] { "connection_id", "user_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "psa_user_mappings");
        }
    }
}
