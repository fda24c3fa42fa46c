using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PsaConnections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "psa_connections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    instance_key = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    display_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    settings_json = table.Column<string>(type: "jsonb", nullable: false),
                    protected_secrets = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    disconnected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_connections", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_psa_connections_one_active",
                table: "psa_connections",
                column: "state",
                unique: true,
                filter: "state = 'Active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "psa_connections");
        }
    }
}
