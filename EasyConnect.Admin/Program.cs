using EasyConnect.Admin.Components.Account;
using EasyConnect.Admin.Hosting;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Users;

var builder = WebApplication.CreateBuilder(args);

builder.AddEasyConnectLogging();
builder.AddEasyConnectPersistence();
builder.AddEasyConnectUsers();
builder.AddEasyConnectIdentity();
builder.AddEasyConnectJobs();
builder.AddEasyConnectConnections();
builder.Services.AddEasyConnectConnectWise();
builder.AddEasyConnectPsaSync();
builder.AddEasyConnectSandbox();
builder.AddEasyConnectUi();
builder.AddEasyConnectOperations();

var app = builder.Build();

app.UseEasyConnectPipeline();
app.MapEasyConnectUi();
app.MapEasyConnectAccount();
app.MapEasyConnectJobsDashboard();
app.MapEasyConnectOperations();
app.MapEasyConnectSandbox();

app.Run();

/// <summary>Entry point; public so tests can host the real app.</summary>
public partial class Program;
