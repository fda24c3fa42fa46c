using System.ComponentModel.DataAnnotations;
using EasyConnect.Sync.Persistence;

namespace EasyConnect.Admin.Components.Shared;

/// <summary>
/// Validations for text fields, with the same limits and messages the services check: MaxLength stops typing at
/// the limit in the browser, these explain a pasted or otherwise longer value before anything is sent.
/// </summary>
internal static class InputLimit
{
    /// <summary>Longest search text: no searched column is longer than an email (256).</summary>
    public const int SearchMaxLength = 256;

    /// <summary>"The {what} can be at most {max} characters." for a longer value.</summary>
    public static Func<string?, string?> Of(int maxLength, string what) => value => TextLimit.Check(value, maxLength, what);

    /// <summary>The length limit, then the email format.</summary>
    public static Func<string?, string?> Email(int maxLength, string what) => value =>
        TextLimit.Check(value, maxLength, what)
        ?? (string.IsNullOrEmpty(value) || new EmailAddressAttribute().IsValid(value) ? null : "Enter an email address, such as name@example.com.");
}
