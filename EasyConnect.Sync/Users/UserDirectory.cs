using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Users;

/// <summary>One row of the Users page.</summary>
public sealed record UserSummary(string Id, string Email, string DisplayName, string? Role, bool IsDisabled, bool IsLockedOut, DateTimeOffset CreatedAt);

/// <summary>Creates users, changes their role, disables and enables them; every change is audited.</summary>
public sealed class UserDirectory(UserManager<AppUser> users, EasyConnectDbContext db, AuditLog audit, TimeProvider clock)
{
    /// <summary>A page of users ordered by email, optionally filtered by email or name.</summary>
    public async Task<(IReadOnlyList<UserSummary> Items, int Total)> ListAsync(int skip, int take, string? search, CancellationToken cancellationToken = default)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            query = query.Where(u => EF.Functions.ILike(u.Email!, pattern) || EF.Functions.ILike(u.DisplayName, pattern));
        }

        var total = await query.CountAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var rows = await query
            .OrderBy(u => u.NormalizedEmail)
            .Skip(skip).Take(take)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName, u.DisabledAt, u.LockoutEnd, u.CreatedAt,
                Role = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return (rows.Select(r => new UserSummary(r.Id, r.Email ?? "", r.DisplayName, r.Role, r.DisabledAt != null,
            r.DisabledAt == null && r.LockoutEnd > now, r.CreatedAt)).ToList(), total);
    }

    /// <summary>Creates a user with one role.</summary>
    public async Task<UserResult> CreateAsync(string email, string displayName, string role, string password, string actor, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        var tooLong = TextLimit.Check(email, AppUser.EmailMaxLength, "email") ?? TextLimit.Check(displayName, AppUser.DisplayNameMaxLength, "name");
        if (tooLong is not null)
        {
            return UserResult.Fail(tooLong);
        }

        if (!Roles.All.Contains(role))
        {
            return UserResult.Fail($"'{role}' is not a role. Choose Admin, Technician or Support.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return UserResult.Fail($"A user with the email {email} exists already.");
        }

        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(),
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return Failed(created);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return Failed(added);
        }

        await audit.WriteAsync(actor, "User created", email, $"role {role}", cancellationToken);
        return UserResult.Ok;
    }

    /// <summary>Gives a user another role. The last active admin cannot lose the Admin role.</summary>
    public async Task<UserResult> ChangeRoleAsync(string userId, string role, string actor, CancellationToken cancellationToken = default)
    {
        if (!Roles.All.Contains(role))
        {
            return UserResult.Fail($"'{role}' is not a role. Choose Admin, Technician or Support.");
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserResult.Fail("That user no longer exists.");
        }

        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role)
        {
            return UserResult.Ok;
        }

        if (current.Contains(Roles.Admin) && role != Roles.Admin && await IsLastActiveAdminAsync(user, cancellationToken))
        {
            return UserResult.Fail("This is the last active administrator. Make another user an admin first.");
        }

        var removed = await users.RemoveFromRolesAsync(user, current);
        if (!removed.Succeeded)
        {
            return Failed(removed);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            return Failed(added);
        }

        // A new security stamp makes open sessions pick up the new role at their next validation.
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(actor, "Role changed", user.Email ?? userId, $"{string.Join(", ", current)} → {role}", cancellationToken);
        return UserResult.Ok;
    }

    /// <summary>Disables a user: they cannot log in and their open sessions end. The last active admin cannot be disabled.</summary>
    public async Task<UserResult> DisableAsync(string userId, string actor, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserResult.Fail("That user no longer exists.");
        }

        if (user.DisabledAt is not null)
        {
            return UserResult.Ok;
        }

        if (await users.IsInRoleAsync(user, Roles.Admin) && await IsLastActiveAdminAsync(user, cancellationToken))
        {
            return UserResult.Fail("This is the last active administrator and cannot be disabled.");
        }

        user.DisabledAt = clock.GetUtcNow();
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            return Failed(updated);
        }

        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(actor, "User disabled", user.Email ?? userId, null, cancellationToken);
        return UserResult.Ok;
    }

    /// <summary>Enables a disabled user again and clears any lockout.</summary>
    public async Task<UserResult> EnableAsync(string userId, string actor, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserResult.Fail("That user no longer exists.");
        }

        var wasLocked = user.LockoutEnd > clock.GetUtcNow();
        if (user.DisabledAt is null && !wasLocked)
        {
            return UserResult.Ok;
        }

        var action = user.DisabledAt is null ? "User unlocked" : "User enabled";
        user.DisabledAt = null;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            return Failed(updated);
        }

        await audit.WriteAsync(actor, action, user.Email ?? userId, null, cancellationToken);
        return UserResult.Ok;
    }

    private async Task<bool> IsLastActiveAdminAsync(AppUser user, CancellationToken cancellationToken)
    {
        var adminRoleId = Roles.Ids[Roles.Admin];
        var otherActiveAdmins = await db.UserRoles
            .Where(ur => ur.RoleId == adminRoleId && ur.UserId != user.Id)
            .Join(db.Users, ur => ur.UserId, u => u.Id, (_, u) => u)
            .CountAsync(u => u.DisabledAt == null, cancellationToken);
        return otherActiveAdmins == 0;
    }

    private static UserResult Failed(IdentityResult result) => new(false, result.Errors.Select(e => e.Description).ToList());
}
