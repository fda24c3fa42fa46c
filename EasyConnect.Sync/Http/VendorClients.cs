using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace EasyConnect.Sync.Http;

/// <summary>
/// What every PSA client is built from, so a vendor adds only its auth handler: the lenient JSON options its DTOs are read with,
/// the Refit settings over them, and the HttpClient over the vendor's named pipeline with the call counter and the API budget.
/// </summary>
internal static class VendorClients
{
    /// <summary>
    /// JSON as the PSAs send it: web names, nulls left out when writing, and numbers, booleans and strings read from whatever form
    /// they come in (ConnectWise's <c>"IsCloud": "True"</c>, ids as text through some tenants' proxies). What EasyConnect does not
    /// need must not fail a read; unknown fields are ignored.
    /// </summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new LenientBooleanConverter(), new LenientNullableBooleanConverter(), new LenientStringConverter() },
    };

    /// <summary>Refit over <see cref="Json"/>.</summary>
    public static RefitSettings Refit { get; } = new(new SystemTextJsonContentSerializer(Json));

    /// <summary>
    /// An HttpClient over the vendor's named pipeline (<see cref="VendorHttp.AddVendorHttpClient{TOptions}"/>): every request is
    /// counted and passes the connection's budget <paramref name="gate"/>; <paramref name="auth"/> wraps it with the vendor's sign-in.
    /// Timeouts come from the resilience pipeline, so HttpClient's own 100 s is switched off.
    /// </summary>
    public static HttpClient Create(
        IHttpMessageHandlerFactory handlers, string clientName, ApiCallCounter counter, IApiCallGate? gate, Uri baseAddress, Func<HttpMessageHandler, HttpMessageHandler>? auth = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        HttpMessageHandler handler = new VendorConnectionHandler(counter, gate) { InnerHandler = handlers.CreateHandler(clientName) };
        if (auth is not null)
        {
            handler = auth(handler);
        }

        return new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }
}
