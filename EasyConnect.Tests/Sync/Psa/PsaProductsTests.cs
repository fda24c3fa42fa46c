using EasyConnect.Sync.Http;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Tickets;

namespace EasyConnect.Tests.Sync.Psa;

public sealed partial class PsaProductsTests
{
    [Theory]
    [InlineData(PsaKind.ConnectWise, "ConnectWise", "CW User Mapping", "member", "board", "configuration", "company")]
    [InlineData(PsaKind.Autotask, "Autotask", "Autotask User Mapping", "resource", "queue", "configuration item", "company")]
    [InlineData(PsaKind.Halo, "HaloPSA", "Halo User Mapping", "agent", "team", "asset", "client")]
    public void Get_GivesEachProductsNamesAndNouns_ForEveryProduct(PsaKind kind, string name, string mappingTitle, string member, string board, string configuration, string company)
    {
        var product = PsaProducts.Get(kind);

        Assert.Equal(name, product.DisplayName);
        Assert.Equal(name, TicketText.PsaName(kind));
        Assert.Equal(mappingTitle, UserMappings.ColumnTitle(kind));
        Assert.Equal((member, board, configuration, company), (product.Nouns.Member, product.Nouns.Board, product.Nouns.Configuration, product.Nouns.Company));
    }

    [Fact]
    public void Scopes_AreTheBoardForConnectWiseStatusesAndTheSlaForHaloPriorities_AndNoneForAutotask()
    {
        Assert.Equal(new PsaScope("board", PsaEntity.Boards), PsaProducts.Get(PsaKind.ConnectWise).StatusScope);
        Assert.Null(PsaProducts.Get(PsaKind.ConnectWise).PriorityScope);
        Assert.Equal(new PsaScope("SLA", null), PsaProducts.Get(PsaKind.Halo).PriorityScope);
        Assert.Null(PsaProducts.Get(PsaKind.Halo).StatusScope);
        Assert.Null(PsaProducts.Get(PsaKind.Autotask).StatusScope);
        Assert.Null(PsaProducts.Get(PsaKind.Autotask).PriorityScope);
    }

    [Fact]
    public void Limits_AreConnectWises100CharacterSummaryAndWholeSeconds_AndTheSharedSummaryLimitFitsEveryProduct()
    {
        var connectWise = PsaProducts.Get(PsaKind.ConnectWise);

        Assert.Equal(100, connectWise.Limits.SummaryLength);
        Assert.Equal(TimeSpan.FromSeconds(1), connectWise.StampResolution);
        Assert.All(PsaProducts.All, p => Assert.True(TicketText.SummaryLimit <= p.Limits.SummaryLength));
        Assert.Equal(255, TicketText.Summary(new string('a', 300), PsaProducts.Get(PsaKind.Autotask).Limits.SummaryLength).Length);
    }

    [Fact]
    public void Capabilities_SayAutotaskResourcesHaveNoStampAndConnectWiseStatusesAreOrderedOnlyWithinTheirBoard()
    {
        Assert.False(PsaProducts.Get(PsaKind.Autotask).Capabilities(PsaEntity.Members).HasLastModified);
        Assert.Equal(500, PsaProducts.Get(PsaKind.Autotask).Capabilities(PsaEntity.Tickets).PageSize);
        Assert.False(PsaProducts.Get(PsaKind.Halo).Capabilities(PsaEntity.Tickets).StablePaging);
        Assert.False(PsaProducts.Get(PsaKind.ConnectWise).Capabilities(PsaEntity.Statuses).OrderedByLastModified);
        Assert.True(PsaProducts.Get(PsaKind.ConnectWise).Capabilities(PsaEntity.Tickets).OrderedByLastModified);
    }

    [Fact]
    public void ConnectionFields_AreConnectWisesFiveSettings_WithTheKeysSecretAndOnlyThePrivateKeyMasked()
    {
        var product = PsaProducts.Get(PsaKind.ConnectWise);

        Assert.Equal(["site", "companyId", "publicKey", "privateKey", "clientId"], product.ConnectionFields.Select(f => f.Name));
        Assert.Equal(["clientId", "privateKey", "publicKey"], product.SecretNames.Order(StringComparer.Ordinal));
        Assert.Equal(["privateKey"], product.ConnectionFields.Where(f => f.Masked).Select(f => f.Name));
        Assert.Equal(ConnectWiseClientFactory.SettingNames, product.ConnectionFields.Select(f => f.Name));
    }

    [Fact]
    public void Identify_GivesTheKeyTheConnectWiseClientReports_WhenTheSettingsAreComplete()
    {
        var settings = new Dictionary<string, string>
        {
            ["site"] = "https://NA.myconnectwise.net/", ["companyId"] = "Acme", ["publicKey"] = "pub", ["privateKey"] = "priv", ["clientId"] = "client",
        };

        var identity = PsaProducts.Get(PsaKind.ConnectWise).Identify(settings);

        Assert.Equal(new PsaInstanceIdentity(PsaKind.ConnectWise, "na.myconnectwise.net:443|acme", "na.myconnectwise.net — Acme"), identity);
        Assert.Equal(ConnectWiseCredentials.FromSettings(settings).Identity, identity);
    }

    [Theory]
    [InlineData(PsaKind.ConnectWise)]
    [InlineData(PsaKind.Autotask)]
    [InlineData(PsaKind.Halo)]
    public void Identify_RefusesInWordsNamingTheSetting_WhenTheSettingsAreEmpty(PsaKind kind)
    {
        var error = Assert.Throws<PsaException>(() => PsaProducts.Get(kind).Identify(new Dictionary<string, string>()));

        Assert.Equal(RemoteErrorKind.ValidationFailed, error.Kind);
        Assert.Contains("setting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_TellsHaloTenantsOfOneAddressApart()
    {
        var halo = PsaProducts.Get(PsaKind.Halo);

        var one = halo.Identify(new Dictionary<string, string> { ["address"] = "https://acme.halopsa.com", ["tenant"] = "one" });
        var two = halo.Identify(new Dictionary<string, string> { ["address"] = "acme.halopsa.com/", ["tenant"] = "two" });

        Assert.NotEqual(one.Key, two.Key);
        Assert.StartsWith("acme.halopsa.com:443|", one.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_NameNoPsaKindMemberOutsideThePsaFolder()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EasyConnect.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var offenders = new[] { "EasyConnect.Sync", "EasyConnect.Admin" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root.FullName, project), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Psa{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(l => PsaKindMember().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(root.FullName, l.f)}:{l.i + 1}: {l.line.Trim()}")
            .ToList();

        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"\bPsaKind\.(ConnectWise|Autotask|Halo)\b")]
    private static partial Regex PsaKindMember();
}
