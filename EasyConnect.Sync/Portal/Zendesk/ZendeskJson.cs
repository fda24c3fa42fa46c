using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>
/// Reads a boolean as Zendesk sends it in practice: true/false, or the strings "true"/"false" (its own safe-update example sends
/// "true"), or 0/1; null as false where the field cannot be null; anything else fails with the field's path.
/// </summary>
internal sealed class ZdLenientBooleanConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
        JsonTokenType.String when reader.GetString() is "1" or "0" => reader.GetString() == "1",
        JsonTokenType.Number when reader.TryGetInt64(out var number) && number is 0 or 1 => number == 1,
        _ => throw new JsonException($"Expected a boolean, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}

/// <summary>Words what could not be read in a Zendesk answer, naming the field (System.Text.Json's path, e.g. <c>$.ticket.created_at</c>).</summary>
internal static class ZdJsonErrors
{
    public static string Field(JsonException e) =>
        string.IsNullOrEmpty(e.Path) ? "" : string.Create(CultureInfo.InvariantCulture, $" (the field {e.Path.TrimStart('$', '.')} could not be read)");
}
