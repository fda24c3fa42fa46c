using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Tickets;

namespace EasyConnect.Tests.Sync.Tickets;

public sealed class TicketTextTests
{
    [Fact]
    public void Summary_KeepsASubjectThatFits_OnOneLine()
    {
        Assert.Equal("Server down", TicketText.Summary("  Server\r\n down "));
        Assert.Equal(new string('x', 100), TicketText.Summary(new string('x', 100)));
        Assert.Equal(TicketText.NoSubject, TicketText.Summary("   "));
    }

    [Fact]
    public void Summary_CutsAtAWordBreakNearTheLimit_AndEndsWithAnEllipsis()
    {
        var subject = string.Join(' ', Enumerable.Repeat("word", 40));

        var summary = TicketText.Summary(subject);

        Assert.True(summary.Length <= TicketText.SummaryLimit);
        Assert.Equal(string.Join(' ', Enumerable.Repeat("word", 20)) + "…", summary);
    }

    [Fact]
    public void Summary_CutsInsideAWord_WhenNoBreakIsNear_AndNeverSplitsAnEmoji()
    {
        var subject = new string('a', 98) + "😀" + new string('b', 20);

        var summary = TicketText.Summary(subject);

        Assert.Equal(new string('a', 98) + "…", summary);
        Assert.True(TicketText.IsShortened(subject));
    }

    [Fact]
    public void PsaDescription_LeadsWithTheFullSubject_OnlyWhenTheSummaryIsShortened()
    {
        var longSubject = new string('s', 150);

        Assert.Equal("Body", TicketText.PsaDescription("Short", "Body"));
        Assert.Equal($"Subject: {longSubject}\n\nBody", TicketText.PsaDescription(longSubject, "Body"));
    }

    [Fact]
    public void Same_IgnoresHowWhitespaceWasWritten_BecauseConnectWiseMayTurnLineBreaksIntoSpaces()
    {
        Assert.True(TicketText.Same("Line one\nLine two ", "Line one Line two"));
        Assert.Equal(TicketText.Hash("a\n\nb"), TicketText.Hash("a b"));
        Assert.False(TicketText.Same("a b", "ab"));
    }

    [Fact]
    public void Attribution_NamesTheAuthor_WhenNoOneIsMapped()
    {
        Assert.Equal("Ann (ann@example.com) wrote in the portal:\nHi", TicketText.FromPortal("Ann", "ann@example.com", "Hi"));
        Assert.Equal("ann@example.com wrote in the portal:\nHi", TicketText.FromPortal(null, "ann@example.com", "Hi"));
        Assert.Equal("Liam Smith wrote in ConnectWise:\nDone", TicketText.FromPsa("Liam Smith", PsaKind.ConnectWise, "Done"));
    }
}
