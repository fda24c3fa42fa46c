using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Psa.Autotask.Dtos;

/// <summary>
/// Reads a boolean however Autotask sends it: true/false, "True"/"false", 1/0. Anything else reads as null, so a flag
/// EasyConnect could do without never fails a whole answer.
/// </summary>
internal sealed class AtLenientNullableBooleanConverter : JsonConverter<bool?>
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
                var text = reader.GetString()?.Trim();
                return bool.TryParse(text, out var b) ? b
                    : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n != 0
                    : null;
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
}

/// <summary>The non-nullable twin of <see cref="AtLenientNullableBooleanConverter"/>: what cannot be read is false.</summary>
internal sealed class AtLenientBooleanConverter : JsonConverter<bool>
{
    private static readonly AtLenientNullableBooleanConverter Nullable = new();

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Nullable.Read(ref reader, typeof(bool?), options) ?? false;

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}

/// <summary>Reads text that Autotask may send as a number (picklist values are "1" in some answers and 1 in others).</summary>
internal sealed class AtLenientStringConverter : JsonConverter<string>
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
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
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
