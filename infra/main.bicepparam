// A complete example of every parameter of main.bicep. `azd up` reads this file (AZURE_ENV_NAME and the other
// variables below come from the azd environment); `az deployment group create -g <group> -p infra/main.bicepparam`
// reads it too, with the same environment variables or the defaults written here. Edit the values, not the names.
using 'main.bicep'

// ---- Naming and placement
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'gateway')
// location is not set: every resource goes where the resource group is (azd creates the group in AZURE_LOCATION).
param functionAppName = readEnvironmentVariable('GATEWAY_FUNCTION_APP_NAME', '')

// ---- Hosting: Flex Consumption, 2 GB instances, at most 40 of them, one kept warm against cold starts.
param hostingPlan = 'FlexConsumption'
param planSku = ''
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param httpPerInstanceConcurrency = 100
param alwaysReadyInstances = 1
param publicNetworkAccess = 'Enabled'

// ---- Network: a new virtual network. To use yours, set the two subnet IDs (the integration subnet delegated to
// Microsoft.App/environments for Flex Consumption) and the prefixes below are ignored.
param existingIntegrationSubnetId = readEnvironmentVariable('GATEWAY_INTEGRATION_SUBNET_ID', '')
param existingPrivateEndpointSubnetId = readEnvironmentVariable('GATEWAY_PRIVATE_ENDPOINT_SUBNET_ID', '')
param vnetAddressPrefix = '10.20.0.0/16'
param integrationSubnetPrefix = '10.20.1.0/24'
param privateEndpointSubnetPrefix = '10.20.2.0/24'

// ---- Ollama: the VM's private address in (or peered with) that network.
param ollamaPrivateAddress = readEnvironmentVariable('OLLAMA_PRIVATE_ADDRESS', '10.20.3.4')
param ollamaPort = 11434
param upstreams = []
// The VM's network security group; empty to add no rules (then add them yourself, see docs/deployment.md).
param ollamaNetworkSecurityGroupName = readEnvironmentVariable('OLLAMA_NSG_NAME', '')
param ollamaNetworkSecurityGroupResourceGroup = readEnvironmentVariable('OLLAMA_NSG_RESOURCE_GROUP', '')
param ollamaNetworkSecurityRulePriority = 200

// ---- Keys: the share mounted at /mounts/keys; upload keys.json to it after provisioning.
param keysMountPath = '/mounts/keys'
param keysShareName = 'gateway-keys'

// ---- Shared state: off here (limits are per instance). deployRedis = true adds Azure Managed Redis.
param deployRedis = false
param redisSku = 'Balanced_B0'
param redisClusteringPolicy = 'EnterpriseCluster'
param redisUseEntraId = false
param redisConfiguration = readEnvironmentVariable('GATEWAY_REDIS_CONFIGURATION', '')
param redisKeyPrefix = 'ogw:'

// ---- Monitoring
param monitoringLocalAuthDisabled = false
param logRetentionInDays = 30
param otlpEndpoint = ''

// ---- Gateway settings (README, "Configuration"). The first-byte timeout is below Azure's 230-second front-end
// limit, so a silent Ollama gets the gateway's 504 (and is cancelled) instead of the front end's 502.
param maxRequestBodyBytes = 16777216
param maxReadBodyBytes = 65536
param maxManagementBodyBytes = ''
param maxTranslatedResponseBytes = 33554432
param upstreamFirstByteTimeout = '00:03:30'
param upstreamIdleTimeout = '00:02:00'
param upstreamConnectTimeout = '00:00:10'
param failedAuthPerMinute = 30
param shutdownDrainPeriod = '00:00:30'
param maxNumPredict = 8192
param maxNumCtx = 32768
param maxKeepAlive = '00:30:00'
param allowedRegistries = [
  'registry.ollama.ai'
]
param allowInsecureRegistries = false
param upstreamProbeInterval = '00:00:10'
param upstreamProbeTimeout = '00:00:02'
param upstreamReactivationPeriod = '00:00:30'
param upstreamInventoryInterval = '00:00:10'
param usageEnabled = false
param accessLogEnabled = true
param metricsEnabled = true
