using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EasyConnect.Tests.Sync.Persistence;

/// <summary>
/// Every foreign key can be looked up through an index: a query for one parent's rows (a ticket's notes and intents) and a cascade
/// delete of the parent read only those rows. A partial index (one with a filter) does not count: PostgreSQL uses it only for
/// queries that repeat its filter, so without a plain index each ticket scans the whole table and a sync slows down as it grows.
/// </summary>
public sealed class ForeignKeyIndexTests
{
    [Fact]
    public void EveryForeignKey_LeadsAnUnfilteredIndexOrTheKey()
    {
        using var db = new EasyConnectDbContext(new DbContextOptionsBuilder<EasyConnectDbContext>()
            .UseNpgsql("Host=unused").UseSnakeCaseNamingConvention().Options);

        var missing = db.Model.GetEntityTypes()
            .SelectMany(e => e.GetForeignKeys().Select(fk => (Entity: e, Key: fk)))
            .Where(x => !Covered(x.Entity, x.Key.Properties))
            .Select(x => $"{x.Entity.GetTableName()}({string.Join(", ", x.Key.Properties.Select(p => p.GetColumnName()))})")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, "Foreign keys without an unfiltered index leading with their columns: " + string.Join("; ", missing));
    }

    private static bool Covered(IEntityType entity, IReadOnlyList<IProperty> columns) =>
        entity.GetIndexes().Where(i => i.GetFilter() is null).Select(i => i.Properties)
            .Concat(entity.GetKeys().Select(k => k.Properties))
            .Any(lead => lead.Count >= columns.Count && lead.Take(columns.Count).SequenceEqual(columns));
}
