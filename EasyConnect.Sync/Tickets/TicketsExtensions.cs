using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.Tickets;

/// <summary>Registers the ticket sync.</summary>
public static class TicketsExtensions
{
    /// <summary>
    /// Adds the ticket sync engine, its Hangfire jobs and recurring schedule, the Tickets pages' service, and its part in the
    /// instance-change clean-up; options validated on start.
    /// </summary>
    public static IHostApplicationBuilder AddEasyConnectTickets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TicketSyncOptions>().BindConfiguration(TicketSyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TicketLookups>();
        builder.Services.AddSingleton<TicketSyncEngine>();
        builder.Services.AddEasyConnectRuns();
        builder.Services.AddSingleton<LinkedTickets>();
        builder.Services.AddTransient<TicketSyncJob>();
        builder.Services.AddSingleton<IRecurringJobSource, TicketSyncRecurringJobs>();
        builder.Services.AddSingleton<IConnectionDataOwner, TicketSyncData>();
        return builder;
    }
}
