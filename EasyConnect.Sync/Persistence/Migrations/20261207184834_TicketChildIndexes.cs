using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TicketChildIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_sync_intents_ticket_link_id",
                table: "sync_intents",
                column: "ticket_link_id");

            migrationBuilder.CreateIndex(
                name: "ix_note_links_ticket_link_id",
                table: "note_links",
                column: "ticket_link_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sync_intents_ticket_link_id",
                table: "sync_intents");

            migrationBuilder.DropIndex(
                name: "ix_note_links_ticket_link_id",
                table: "note_links");
        }
    }
}
