using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NoteSettingsAndUnnamedConfigurations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "unnamed",
                table: "psa_configurations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // An Autotask configuration item without a reference title was mirrored under its serial number: mark it unnamed from the
            // record as received, so a ClusterID matched by reference title stops reaching it at once, not only after its next change.
            migrationBuilder.Sql("""
                UPDATE psa_configurations c SET unnamed = true
                FROM psa_connections p
                WHERE p.id = c.connection_id AND p.kind = 'Autotask' AND coalesce(btrim(c.raw ->> 'referenceTitle'), '') = ''
                """);

            migrationBuilder.AddColumn<string>(
                name: "note_options_json",
                table: "advanced_settings",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'{}'::jsonb");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "unnamed",
                table: "psa_configurations");

            migrationBuilder.DropColumn(
                name: "note_options_json",
                table: "advanced_settings");
        }
    }
}
