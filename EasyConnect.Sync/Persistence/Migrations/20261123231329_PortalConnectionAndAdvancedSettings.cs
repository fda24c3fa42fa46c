using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PortalConnectionAndAdvancedSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "advanced_settings",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    default_board_id = table.Column<string>(type: "text", nullable: true),
                    priority_map_json = table.Column<string>(type: "jsonb", nullable: false),
                    status_map_json = table.Column<string>(type: "jsonb", nullable: false),
                    cluster_id_match = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    cluster_id_custom_field = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    fallback_company_id = table.Column<string>(type: "text", nullable: true),
                    ticket_sync_minutes = table.Column<int>(type: "integer", nullable: false),
                    sync_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_advanced_settings", x => x.connection_id);
                });

            migrationBuilder.CreateTable(
                name: "portal_connections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    base_url = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    protected_token = table.Column<string>(type: "text", nullable: true),
                    cluster_id_field_id = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    export_cursor = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    disconnected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_connections", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_portal_connections_one_active",
                table: "portal_connections",
                column: "state",
                unique: true,
                filter: "state = 'Active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "advanced_settings");

            migrationBuilder.DropTable(
                name: "portal_connections");
        }
    }
}
