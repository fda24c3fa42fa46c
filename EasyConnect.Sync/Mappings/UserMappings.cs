using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EasyConnect.Sync.Mappings;

/// <summary>Which rows the user mapping page shows.</summary>
public enum UserMappingFilter
{
    All,
    Unmapped,
    InactiveMember,
}

/// <summary>One row of the user mapping page.</summary>
public sealed record UserMappingRow(
    string UserId, string Email, string DisplayName,
    string? MemberId, string? MemberName, string? MemberEmail, bool MemberInactive, MappingMethod? Method);

/// <summary>A PSA member offered in the manual choice.</summary>
public sealed record MemberChoice(string Id, string Identifier, string Name, string? Email, bool Inactive);

/// <summary>A mapping the auto-map proposes.</summary>
public sealed record AutoMapProposal(string UserId, string Email, string MemberId, string MemberName);

/// <summary>What the auto-map would do: proposals, and users it cannot decide for.</summary>
/// <param name="Ambiguous">Users whose email belongs to more than one member, or to a member already mapped to someone else.</param>
public sealed record AutoMapPreview(IReadOnlyList<AutoMapProposal> Proposals, IReadOnlyList<string> Ambiguous);

/// <summary>
/// PSA user mapping: which member each EasyConnect user is on a connection. Auto-map by email
/// (case-insensitive, over all of a member's emails) with a preview, manual choice, unmap. A member is
/// never mapped to two users. Every change is audited.
/// </summary>
public sealed class UserMappings(IDbContextFactory<EasyConnectDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>The title of the member column, after the connection's PSA ("CW User Mapping").</summary>
    public static string ColumnTitle(PsaKind kind) => $"{PsaProducts.Get(kind).ShortName} User Mapping";

    /// <summary>A page of users with their mapping on <paramref name="connectionId"/>, ordered by email.</summary>
    public async Task<(IReadOnlyList<UserMappingRow> Items, int Total)> ListAsync(
        Guid connectionId, UserMappingFilter filter, string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows =
            from u in db.Users.AsNoTracking()
            join m in db.PsaUserMappings.Where(m => m.ConnectionId == connectionId) on u.Id equals m.UserId into ms
            from m in ms.DefaultIfEmpty()
            join p in db.PsaMembers.Where(p => p.ConnectionId == connectionId) on m.MemberPsaId equals p.PsaId into ps
            from p in ps.DefaultIfEmpty()
            select new { u, m, p };
        rows = filter switch
        {
            UserMappingFilter.Unmapped => rows.Where(r => r.m == null),
            UserMappingFilter.InactiveMember => rows.Where(r => r.p != null && r.p.Inactive),
            _ => rows,
        };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            rows = rows.Where(r => EF.Functions.ILike(r.u.Email!, pattern) || EF.Functions.ILike(r.u.DisplayName, pattern)
                || (r.p != null && (EF.Functions.ILike(r.p.FirstName + " " + r.p.LastName, pattern) || EF.Functions.ILike(r.p.Identifier, pattern))));
        }

        var total = await rows.CountAsync(cancellationToken);
        var page = await rows
            .OrderBy(r => r.u.NormalizedEmail)
            .Skip(skip).Take(take)
            .Select(r => new UserMappingRow(
                r.u.Id, r.u.Email ?? "", r.u.DisplayName,
                r.m != null ? r.m.MemberPsaId : null,
                r.p != null ? (r.p.FirstName + " " + r.p.LastName).Trim() : null,
                r.p != null ? r.p.PrimaryEmail : null,
                r.p != null && r.p.Inactive,
                r.m != null ? r.m.Method : null))
            .ToListAsync(cancellationToken);
        return (page, total);
    }

    /// <summary>Members whose name, identifier or any of their emails (Autotask: email, email2, email3) contains <paramref name="search"/>, active first.</summary>
    public async Task<IReadOnlyList<MemberChoice>> SearchMembersAsync(Guid connectionId, string? search, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var members = db.PsaMembers.AsNoTracking().Where(p => p.ConnectionId == connectionId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            members = members.Where(p => EF.Functions.ILike(p.FirstName + " " + p.LastName, pattern) || EF.Functions.ILike(p.Identifier, pattern)
                || p.Emails.Any(e => EF.Functions.ILike(e, pattern)));
        }

        return await members.OrderBy(p => p.Inactive).ThenBy(p => p.LastName).ThenBy(p => p.FirstName).Take(take)
            .Select(p => new MemberChoice(p.PsaId, p.Identifier, (p.FirstName + " " + p.LastName).Trim(), p.PrimaryEmail, p.Inactive))
            .ToListAsync(cancellationToken);
    }

    /// <summary>What auto-map by email would do for the users who have no mapping yet; changes nothing.</summary>
    public async Task<AutoMapPreview> PreviewAutoMapAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mapped = await db.PsaUserMappings.Where(m => m.ConnectionId == connectionId).Select(m => new { m.UserId, m.MemberPsaId }).ToListAsync(cancellationToken);
        var mappedUsers = mapped.Select(m => m.UserId).ToHashSet(StringComparer.Ordinal);
        var takenMembers = mapped.Select(m => m.MemberPsaId).ToHashSet(StringComparer.Ordinal);
        var users = await db.Users.AsNoTracking().Where(u => u.Email != null).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        var members = await db.PsaMembers.AsNoTracking().Where(p => p.ConnectionId == connectionId)
            .Select(p => new { p.PsaId, p.FirstName, p.LastName, p.PrimaryEmail, p.Emails, p.Inactive }).ToListAsync(cancellationToken);

        var byEmail = members
            .SelectMany(p => p.Emails.Append(p.PrimaryEmail ?? "").Where(e => e.Length > 0).Select(e => (Email: e.Trim().ToLowerInvariant(), Member: p)))
            .GroupBy(x => x.Email)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Member).DistinctBy(m => m.PsaId).ToList(), StringComparer.Ordinal);
        var proposals = new List<AutoMapProposal>();
        var ambiguous = new List<string>();
        var proposedMembers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in users.Where(u => !mappedUsers.Contains(u.Id)).OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase))
        {
            if (!byEmail.TryGetValue(user.Email!.Trim().ToLowerInvariant(), out var candidates))
            {
                continue;
            }

            // An active member wins over inactive namesakes; anything else a person decides.
            var pick = candidates.Count == 1 ? candidates[0] : candidates.Where(c => !c.Inactive).ToList() is [var only] ? only : null;
            if (pick is null || takenMembers.Contains(pick.PsaId) || !proposedMembers.Add(pick.PsaId))
            {
                ambiguous.Add(user.Email!);
                continue;
            }

            proposals.Add(new AutoMapProposal(user.Id, user.Email!, pick.PsaId, $"{pick.FirstName} {pick.LastName}".Trim()));
        }

        return new AutoMapPreview(proposals, ambiguous);
    }

    /// <summary>Applies the auto-map proposals (recomputed now, so nothing stale is written); returns how many were mapped.</summary>
    public async Task<int> ApplyAutoMapAsync(Guid connectionId, string actor, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewAutoMapAsync(connectionId, cancellationToken);
        if (preview.Proposals.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var p in preview.Proposals)
        {
            db.PsaUserMappings.Add(new PsaUserMapping
            {
                ConnectionId = connectionId, UserId = p.UserId, MemberPsaId = p.MemberId, Method = MappingMethod.Email, MappedAt = now, MappedBy = actor,
            });
        }

        audit.Add(db, actor, "Users auto-mapped by email", $"{preview.Proposals.Count} users",
            string.Join(", ", preview.Proposals.Take(20).Select(p => $"{p.Email} → {p.MemberName}")) + (preview.Proposals.Count > 20 ? ", …" : ""));
        await db.SaveChangesAsync(cancellationToken);
        return preview.Proposals.Count;
    }

    /// <summary>Maps a user to a member by hand; refused, with the reason, when the member is mapped to someone else.</summary>
    public async Task<string?> MapAsync(Guid connectionId, string userId, string memberId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var member = await db.PsaMembers.AsNoTracking().SingleOrDefaultAsync(p => p.ConnectionId == connectionId && p.PsaId == memberId, cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (member is null || user is null)
        {
            return "That user or member no longer exists. Reload the page.";
        }

        var other = await db.PsaUserMappings.Where(m => m.ConnectionId == connectionId && m.MemberPsaId == memberId && m.UserId != userId)
            .Join(db.Users, m => m.UserId, u => u.Id, (_, u) => u.Email).FirstOrDefaultAsync(cancellationToken);
        if (other is not null)
        {
            return $"{member.FirstName} {member.LastName} is already mapped to {other}. A member can be mapped to one user only: unmap {other} first.";
        }

        var mapping = await db.PsaUserMappings.SingleOrDefaultAsync(m => m.ConnectionId == connectionId && m.UserId == userId, cancellationToken);
        if (mapping is null)
        {
            mapping = new PsaUserMapping { ConnectionId = connectionId, UserId = userId };
            db.PsaUserMappings.Add(mapping);
        }

        mapping.MemberPsaId = memberId;
        mapping.Method = MappingMethod.Manual;
        mapping.MappedAt = clock.GetUtcNow();
        mapping.MappedBy = actor;
        audit.Add(db, actor, "User mapped", user.Email ?? userId, $"→ {member.FirstName} {member.LastName} ({member.Identifier})");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return $"{member.FirstName} {member.LastName} was just mapped to another user. Reload the page.";
        }

        return null;
    }

    /// <summary>Removes a user's mapping.</summary>
    public async Task UnmapAsync(Guid connectionId, string userId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mapping = await db.PsaUserMappings.SingleOrDefaultAsync(m => m.ConnectionId == connectionId && m.UserId == userId, cancellationToken);
        if (mapping is null)
        {
            return;
        }

        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        db.PsaUserMappings.Remove(mapping);
        audit.Add(db, actor, "User unmapped", email ?? userId);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The member a user is mapped to on the connection, for attribution; null when unmapped.</summary>
    public async Task<string?> MemberOfAsync(Guid connectionId, string userEmail, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = userEmail.Trim().ToUpperInvariant();
        return await db.PsaUserMappings.Where(m => m.ConnectionId == connectionId)
            .Join(db.Users.Where(u => u.NormalizedEmail == normalized), m => m.UserId, u => u.Id, (m, _) => m.MemberPsaId)
            .FirstOrDefaultAsync(cancellationToken);
    }
}

/// <summary>Deletes a connection's user mappings when its data is cleaned up.</summary>
internal sealed class UserMappingData(IDbContextFactory<EasyConnectDbContext> dbFactory) : IConnectionDataOwner
{
    public string Name => "user mappings";

    public async Task<long> CountAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaUserMappings.LongCountAsync(m => m.ConnectionId == connectionId, cancellationToken);
    }

    public async Task<long> DeleteBatchAsync(Guid connectionId, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.PsaUserMappings.Where(m => m.ConnectionId == connectionId).Select(m => m.Id).Take(batchSize).ToListAsync(cancellationToken);
        return await db.PsaUserMappings.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
    }
}
