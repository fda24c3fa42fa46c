using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HaloClientSla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "priority_scope_id",
                table: "psa_companies",
                type: "text",
                nullable: true);

            // A Halo client's SLA is mirrored from now on; its record does not change when nothing else did, so the next company read
            // of each Halo connection starts from the beginning rather than from its cursor, and fills in every client's SLA.
            migrationBuilder.Sql("""
                UPDATE psa_sync_cursors SET last_modified = '1970-01-01T00:00:00Z', last_id = ''
                WHERE entity = 'Companies' AND connection_id IN (SELECT id FROM psa_connections WHERE kind = 'Halo');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "priority_scope_id",
                table: "psa_companies");
        }
    }
}
