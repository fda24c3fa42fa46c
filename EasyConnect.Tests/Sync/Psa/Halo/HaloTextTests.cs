using EasyConnect.Sync.Psa.Halo;

namespace EasyConnect.Tests.Sync.Psa.Halo;

/// <summary>Halo keeps details and notes as HTML; EasyConnect moves text. The conversion must not change or grow text that goes round.</summary>
public sealed class HaloTextTests
{
    [Theory]
    [InlineData("<p>Hello</p><p>World</p>", "Hello\nWorld")]
    [InlineData("<div>One<br>Two<br/>Three</div>", "One\nTwo\nThree")]
    [InlineData("<p>A &amp; B &lt;c&gt;&nbsp;d</p>", "A & B <c> d")]
    [InlineData("<p>\n  Wrapped\n  by an editor\n</p>", "Wrapped by an editor")]
    [InlineData("Plain text\nwith lines", "Plain text\nwith lines")]
    [InlineData("<ul><li>first</li><li>second</li></ul>", "first\nsecond")]
    public void ToText_GivesTheTextAPersonReads_WhenHaloSendsHtml(string html, string text) =>
        Assert.Equal(text, HaloText.ToText(html));

    [Theory]
    [InlineData("Line one & <two>\n\n  indented  twice\nlast line")]
    [InlineData("Tabs\tand trailing spaces   \nend")]
    [InlineData("\n\nBlank lines around\n\n\n\nand between\n\n")]
    public void ToHtmlThenToText_IsAFixedPoint_WhenRepeated(string text)
    {
        var once = HaloText.ToText(HaloText.ToHtml(text));
        var current = once;
        for (var pass = 0; pass < 5; pass++)
        {
            // Halo wraps what it is given in a block of its own.
            current = HaloText.ToText("<div>" + HaloText.ToHtml(current) + "</div>");
        }

        Assert.Equal(once, current);
        Assert.Equal(HaloText.ToHtml(once), HaloText.ToHtml(current));
    }

    [Fact]
    public void ToHtml_KeepsLineBreaksAndRunsOfSpaces_AndEscapesMarkup()
    {
        Assert.Equal("a &lt;b&gt;<br>&nbsp;&nbsp;c &nbsp;d", HaloText.ToHtml("a <b>\n  c  d"));
        Assert.Equal("a <b>\n  c  d", HaloText.ToText(HaloText.ToHtml("a <b>\n  c  d")));
    }
}
