using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Http;

/// <summary>
/// Reads a PSA's boolean however it comes: JSON true/false or 1/0, or a string such as "True", "false", "1" or "0"
/// (ConnectWise's login/companyinfo and older models, and Autotask, send booleans as strings). Anything else reads as
/// null, so a flag EasyConnect could do without never fails a whole record.
/// </summary>
internal sealed class LenientNullableBooleanConverter : JsonConverter<bool?>
{
    public override bool HandleNull => true;

    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var number) ? number != 0 : null;
            case JsonTokenType.String:
                return Parse(reader.GetString());
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } b)
        {
            writer.WriteBooleanValue(b);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    internal static bool? Parse(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (bool.TryParse(trimmed, out var b))
        {
            return b;
        }

        return long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n != 0
            : trimmed.Equals("yes", StringComparison.OrdinalIgnoreCase) ? true
            : trimmed.Equals("no", StringComparison.OrdinalIgnoreCase) ? false
            : null;
    }
}

/// <summary>The non-nullable twin of <see cref="LenientNullableBooleanConverter"/>: what cannot be read is false.</summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool>
{
    private static readonly LenientNullableBooleanConverter Nullable = new();

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Nullable.Read(ref reader, typeof(bool?), options) ?? false;

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}

/// <summary>Reads text a PSA may send as a number or a boolean (Autotask's picklist values are "1" in some answers and 1 in others).</summary>
internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return RawNumber(reader);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.Null:
                return null;
            default:
                // An object or a list where text belongs is not text in another form: reading it as null would hide a broken record,
                // so the read fails and the client names the field (a needed name that arrives as {"text": …}).
                throw new JsonException($"Expected text, a number or a boolean, not {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static string RawNumber(Utf8JsonReader reader) => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
}
