namespace OllamaGateway;
