using EasyConnect.Admin.Components.Account;
using EasyConnect.Admin.Hosting;
using EasyConnect.Sync.Alerts;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Sync.Users;

var builder = WebApplication.CreateBuilder(args);

builder.AddEasyConnectLogging();
builder.AddEasyConnectSecurity();
builder.AddEasyConnectPersistence();
builder.AddEasyConnectUsers();
builder.AddEasyConnectIdentity();
builder.AddEasyConnectJobs();
builder.AddEasyConnectConnections();
builder.AddEasyConnectPsas();
builder.Services.AddEasyConnectZendesk();
builder.AddEasyConnectPsaSync();
builder.AddEasyConnectMappings();
builder.AddEasyConnectSettings();
builder.AddEasyConnectTickets();
builder.AddEasyConnectAlerts();
builder.AddEasyConnectSandbox();
builder.AddEasyConnectUi();
builder.AddEasyConnectOperations();

var app = builder.Build();

app.UseEasyConnectSecurity();
app.UseEasyConnectPipeline();
app.MapEasyConnectUi();
app.MapEasyConnectAccount();
app.MapEasyConnectJobsDashboard();
app.MapEasyConnectOperations();
app.MapEasyConnectSandbox();

app.Run();

/// <summary>Entry point; public so tests can host the real app.</summary>
public partial class Program;
