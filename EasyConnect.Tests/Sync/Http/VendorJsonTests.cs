using System.Text.Json;
using EasyConnect.Sync.Http;

namespace EasyConnect.Tests.Sync.Http;

/// <summary>
/// The JSON every PSA client reads with (<see cref="VendorClients.Json"/>) and the field readers of raw rows
/// (<see cref="LenientJsonElement"/>): a value in another form than documented is read, a structure where text belongs is not.
/// </summary>
public sealed class VendorJsonTests
{
    private sealed record Row(string? Name, bool Active, bool? Inactive, int Id);

    [Theory]
    [InlineData("""{"name":"High","active":"True","inactive":"0","id":"7"}""", "High", true, false, 7)]
    [InlineData("""{"name":12,"active":1,"inactive":"false","id":7}""", "12", true, false, 7)]
    [InlineData("""{"name":true,"active":"no such","inactive":null,"id":7}""", "true", false, null, 7)]
    public void Json_ReadsAValue_WhenItComesInAnotherForm(string json, string name, bool active, bool? inactive, int id)
    {
        // Act
        var row = JsonSerializer.Deserialize<Row>(json, VendorClients.Json)!;

        // Assert
        Assert.Equal(new Row(name, active, inactive, id), row);
    }

    [Theory]
    [InlineData("""{"name":{"text":"High"},"id":7}""")]
    [InlineData("""{"name":["High"],"id":7}""")]
    public void Json_FailsNamingThePath_WhenTextArrivesAsAStructure(string json)
    {
        // Act
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Row>(json, VendorClients.Json));

        // Assert
        Assert.Equal("$.name", e.Path);
    }

    [Fact]
    public void LenientJsonElement_ReadsFieldsInAnyForm_WhenARowIsRaw()
    {
        // Arrange
        using var doc = JsonDocument.Parse("""{"ID":"42","flag":"True","off":0,"when":"2026-12-07T10:00:00","never":"0001-01-01T00:00:00","obj":{}}""");
        var row = doc.RootElement;

        // Act / Assert
        Assert.Equal(42, LenientJsonElement.Long(row, "id"));
        Assert.True(LenientJsonElement.Bool(row, "flag"));
        Assert.False(LenientJsonElement.Bool(row, "off"));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero), LenientJsonElement.Time(row, "when"));
        Assert.Null(LenientJsonElement.Time(row, "never"));
        Assert.Null(LenientJsonElement.Text(row, "obj"));
        Assert.Null(LenientJsonElement.Text(row, "missing"));
    }
}
