using System.Security.Cryptography;
using System.Text;
using EasyConnect.Sync.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Users;

/// <summary>
/// Creates the first administrator while no user exists. There is no default password: the person at
/// the browser proves they can read this process's console log by typing the one-time setup code it
/// printed there, so a stranger who reaches a fresh instance first cannot take it.
/// </summary>
public sealed class FirstRunSetup(IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    /// <summary>The code printed to the console at start-up; valid until the first user exists.</summary>
    public string SetupCode { get; } = NewCode();

    /// <summary>True while no user exists. Once false it stays false without asking the database again.</summary>
    public async Task<bool> IsRequiredAsync(CancellationToken cancellationToken = default)
    {
        if (_done)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        _done = users.Users.Any();
        return !_done;
    }

    /// <summary>Creates the first administrator if the code matches and still no user exists.</summary>
    public async Task<UserResult> CreateFirstAdminAsync(string setupCode, string email, string displayName, string password, CancellationToken cancellationToken = default)
    {
        if (!CodeMatches(setupCode))
        {
            return UserResult.Fail("The setup code is not right. Copy it from the EasyConnect console log (the line that starts with 'First-run setup').");
        }

        return await CreateAsync(email, displayName, password, actor: email, cancellationToken);
    }

    /// <summary>Creates the first administrator from configuration (unattended install); no code needed.</summary>
    public Task<UserResult> CreateFromConfigurationAsync(string email, string password, CancellationToken cancellationToken = default) =>
        CreateAsync(email, email, password, actor: "system (EasyConnect:Setup)", cancellationToken);

    private async Task<UserResult> CreateAsync(string email, string displayName, string password, string actor, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!await IsRequiredAsync(cancellationToken))
            {
                return UserResult.Fail("EasyConnect is already set up. Log in instead.");
            }

            await using var scope = scopes.CreateAsyncScope();
            var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var result = await directory.CreateAsync(email, displayName, Roles.Admin, password, actor, cancellationToken);
            if (result.Succeeded)
            {
                _done = true;
                await audit.WriteAsync(actor, "First administrator created", email, $"at {clock.GetUtcNow():u}", cancellationToken);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool CodeMatches(string? code)
    {
        var given = Encoding.UTF8.GetBytes((code ?? "").Trim().ToUpperInvariant());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(SetupCode));
    }

    private static string NewCode()
    {
        // Letters and digits that cannot be mistaken for one another when read off a console.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 12);
        return $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
    }
}
