using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace EasyConnect.Sync.Sandbox;

/// <summary>
/// How every sandbox answers the fault <see cref="SandboxFaultInjector"/> drew for a request: before the endpoint runs, a server
/// error, a throttle with <c>Retry-After</c> or a hang; after it, a lost answer (the endpoint ran, the client hears nothing). Each
/// sandbox supplies only its vendor's error bodies.
/// </summary>
internal static class SandboxFaultAnswers
{
    /// <summary>The answer a fault gives instead of the endpoint's; null when the endpoint is to run.</summary>
    public static async ValueTask<IResult?> BeforeAsync(
        HttpContext context, SandboxFaultKind fault, SandboxFaults settings, Func<IResult> serverError, Func<IResult> throttled)
    {
        switch (fault)
        {
            case SandboxFaultKind.ServerError:
                return serverError();
            case SandboxFaultKind.Throttle:
                context.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return throttled();
            case SandboxFaultKind.Timeout:
                await HangAsync(context, settings);
                return Results.Empty;
            default:
                return null;
        }
    }

    /// <summary>The endpoint's answer, or nothing when the fault is a lost answer: the write happened, the client never hears of it.</summary>
    public static async ValueTask<object?> AfterAsync(HttpContext context, SandboxFaultKind fault, SandboxFaults settings, object? result)
    {
        if (fault != SandboxFaultKind.LostResponse)
        {
            return result;
        }

        await HangAsync(context, settings);
        return Results.Empty;
    }

    /// <summary>Holds the request until the client gives up (or the hang ends), then drops the connection.</summary>
    public static async Task HangAsync(HttpContext context, SandboxFaults settings)
    {
        try
        {
            await Task.Delay(settings.HangMs, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up first, as it should.
        }

        context.Abort();
    }
}
