using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using OllamaGateway.Functions;
using OllamaGateway.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddGateway();
builder.AddMetricsExport();
builder.AddRedisSignIn();
builder.Build().Run();
