using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ClientMappingOverrides : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "client_mapping_overrides",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cluster_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    configuration_psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    mapped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    mapped_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_client_mapping_overrides", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_client_mapping_overrides_connection_id_cluster_id",
                table: "client_mapping_overrides",
                columns: new[] { "connection_id", "cluster_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "client_mapping_overrides");
        }
    }
}
