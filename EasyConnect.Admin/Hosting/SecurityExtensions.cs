using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace EasyConnect.Admin.Hosting;

/// <summary>The reverse proxy EasyConnect runs behind, if any (a TLS-terminating load balancer, IIS, nginx).</summary>
internal sealed class ReverseProxyOptions
{
    /// <summary>The configuration section: <c>EasyConnect:ReverseProxy</c>.</summary>
    public const string SectionName = "EasyConnect:ReverseProxy";

    /// <summary>Addresses of proxies whose X-Forwarded-For/-Proto/-Host headers are believed. Loopback is always believed.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose proxies are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies stand in front of EasyConnect.</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>HTTP hardening: security headers on every response, no Server header, and forwarded headers from known proxies.</summary>
internal static class SecurityExtensions
{
    public static WebApplicationBuilder AddEasyConnectSecurity(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var proxy = builder.Configuration.GetSection(ReverseProxyOptions.SectionName).Get<ReverseProxyOptions>() ?? new();
        builder.Services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = proxy.ForwardLimit;
            foreach (var address in proxy.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in proxy.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so every response (pages, the jobs dashboard, health checks, static files, errors) carries the headers.</summary>
    public static WebApplication UseEasyConnectSecurity(this WebApplication app)
    {
        // Behind a TLS-terminating proxy the request is https again, so the login cookie is Secure and HSTS is sent.
        app.UseForwardedHeaders();
        app.UseSecurityHeaders(Headers());
        return app;
    }

    private static HeaderPolicyCollection Headers() => new HeaderPolicyCollection()
        .AddContentTypeOptionsNoSniff()
        .AddFrameOptionsSameOrigin()
        .AddReferrerPolicyStrictOriginWhenCrossOrigin()
        .AddCrossOriginOpenerPolicy(b => b.SameOrigin())
        .RemoveServerHeader()
        .AddStrictTransportSecurityMaxAgeIncludeSubDomains(maxAgeInSeconds: 365 * 24 * 60 * 60)
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            // Blazor Server and MudBlazor need no eval; MudBlazor sets inline styles.
            csp.AddScriptSrc().Self();
            csp.AddStyleSrc().Self().UnsafeInline();
            csp.AddImgSrc().Self().Data();
            csp.AddFontSrc().Self().Data();
            // The interactive circuit's WebSocket and enhanced navigation's fetches go to this site only.
            csp.AddConnectSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().Self();
            csp.AddFormAction().Self();
            csp.AddFrameAncestors().Self();
        });
}
