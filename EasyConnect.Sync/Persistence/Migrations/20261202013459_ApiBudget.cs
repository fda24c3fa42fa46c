using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiBudget : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_budget_buckets",
                columns: table => new
                {
                    connection_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    bucket_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    calls = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_budget_buckets", x => new { x.connection_key, x.bucket_start });
                });

            migrationBuilder.CreateTable(
                name: "api_budget_shares",
                columns: table => new
                {
                    connection_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    share_percent = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_budget_shares", x => x.connection_key);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_budget_buckets");

            migrationBuilder.DropTable(
                name: "api_budget_shares");
        }
    }
}
