using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TicketOwnWrites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "portal_comment_count",
                table: "ticket_links",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "portal_own_comments",
                table: "ticket_links",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "portal_own_stamp",
                table: "ticket_links",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "psa_own_by",
                table: "ticket_links",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "psa_own_stamp",
                table: "ticket_links",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "portal_comment_count",
                table: "ticket_links");

            migrationBuilder.DropColumn(
                name: "portal_own_comments",
                table: "ticket_links");

            migrationBuilder.DropColumn(
                name: "portal_own_stamp",
                table: "ticket_links");

            migrationBuilder.DropColumn(
                name: "psa_own_by",
                table: "ticket_links");

            migrationBuilder.DropColumn(
                name: "psa_own_stamp",
                table: "ticket_links");
        }
    }
}
