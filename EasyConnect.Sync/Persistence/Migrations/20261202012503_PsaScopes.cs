using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <summary>
    /// Statuses and priorities carry an optional scope instead of ConnectWise's board: psa_statuses.board_id becomes scope_id,
    /// psa_priorities gains one, and Advanced Settings keep one map per scope. The maps stored so far become the map of their
    /// scope: a ConnectWise status map the default board's, every priority map the global one.
    /// </summary>
    public partial class PsaScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "board_id",
                table: "psa_statuses",
                newName: "scope_id");

            migrationBuilder.RenameIndex(
                name: "ix_psa_statuses_connection_id_board_id",
                table: "psa_statuses",
                newName: "ix_psa_statuses_connection_id_scope_id");

            migrationBuilder.AddColumn<string>(
                name: "scope_id",
                table: "psa_priorities",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "priority_scope_id",
                table: "advanced_settings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status_scope_id",
                table: "advanced_settings",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_psa_priorities_connection_id_scope_id",
                table: "psa_priorities",
                columns: new[] { "connection_id", "scope_id" });
            // Only maps still in the flat shape (portal value → PSA id) move; a map of maps is already per scope.
            migrationBuilder.Sql("""
                -- Until this migration ConnectWise was the only PSA with a client, so a setting without a connection is one too.
                UPDATE advanced_settings s
                SET status_scope_id = CASE WHEN k.by_board THEN s.default_board_id END,
                    status_map_json = jsonb_build_object(CASE WHEN k.by_board THEN coalesce(s.default_board_id, '') ELSE '' END, s.status_map_json)
                FROM (SELECT a.connection_id, coalesce((SELECT c.kind FROM psa_connections c WHERE c.id = a.connection_id), 'ConnectWise') = 'ConnectWise' AS by_board
                      FROM advanced_settings a) k
                WHERE k.connection_id = s.connection_id
                  AND NOT EXISTS (SELECT 1 FROM jsonb_each(s.status_map_json) e WHERE jsonb_typeof(e.value) = 'object');
                UPDATE advanced_settings s
                SET priority_map_json = jsonb_build_object('', s.priority_map_json)
                WHERE NOT EXISTS (SELECT 1 FROM jsonb_each(s.priority_map_json) e WHERE jsonb_typeof(e.value) = 'object');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE advanced_settings
                SET status_map_json = coalesce(status_map_json -> coalesce(status_scope_id, ''), '{}'::jsonb),
                    priority_map_json = coalesce(priority_map_json -> coalesce(priority_scope_id, ''), '{}'::jsonb);
                """);

            migrationBuilder.DropIndex(
                name: "ix_psa_priorities_connection_id_scope_id",
                table: "psa_priorities");

            migrationBuilder.DropColumn(
                name: "scope_id",
                table: "psa_priorities");

            migrationBuilder.DropColumn(
                name: "priority_scope_id",
                table: "advanced_settings");

            migrationBuilder.DropColumn(
                name: "status_scope_id",
                table: "advanced_settings");

            migrationBuilder.RenameColumn(
                name: "scope_id",
                table: "psa_statuses",
                newName: "board_id");

            migrationBuilder.RenameIndex(
                name: "ix_psa_statuses_connection_id_scope_id",
                table: "psa_statuses",
                newName: "ix_psa_statuses_connection_id_board_id");
        }
    }
}
