using OllamaGateway.Server.Commands;

// The command line: `serve` (the default) runs the gateway; `keys` and `cert` manage its files.
return CommandLine.Run(args);
