// OllamaGateway on Azure Functions: the whole topology in one deployment.
//
//   azd up                                         (azure.yaml at the repository root; parameters: main.bicepparam)
//   az deployment group create -g <group> -p infra/main.bicepparam
//
// What it creates (docs/deployment.md explains each piece):
//   - a Linux function app running Gateway.Functions (.NET 10 isolated worker) on Flex Consumption (or Elastic
//     Premium / Dedicated), HTTPS only, TLS 1.2, FTP off, with every Gateway__* setting;
//   - VNet integration into a delegated subnet of a new or existing virtual network, to reach Ollama privately;
//   - the app's storage, reached with a user-assigned managed identity (no shared keys);
//   - an Azure Files share mounted at keysMountPath for keys.json (Gateway__KeysFile);
//   - Application Insights on a Log Analytics workspace (the host's logs, the gateway's OpenTelemetry metrics);
//   - optionally Azure Managed Redis behind a private endpoint (Gateway__Redis__Configuration);
//   - optionally the network security rules that let only the gateway reach Ollama's port.
// It never outputs a secret: storage and Redis keys are read with listKeys() into app settings only.

targetScope = 'resourceGroup'

// ---- Naming and placement -------------------------------------------------------------------------------------

@description('Short environment name (azd sets it from AZURE_ENV_NAME); part of every resource name.')
@minLength(1)
@maxLength(20)
param environmentName string

@description('Azure region for every resource; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Function app name (the first label of its URL); empty for a generated, globally unique one.')
@maxLength(60)
param functionAppName string = ''

// ---- Hosting ------------------------------------------------------------------------------------------------

@description('FlexConsumption (recommended: scale to zero, VNet integration, streaming works), ElasticPremium or Dedicated.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
  'Dedicated'
])
param hostingPlan string = 'FlexConsumption'

@description('SKU for ElasticPremium (EP1-EP3, default EP1) or Dedicated (default P0v3); ignored on Flex Consumption (FC1).')
param planSku string = ''

@description('Flex Consumption: memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Largest number of instances. Per-key limits without Redis are per instance, so this also bounds how far they can be exceeded.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Flex Consumption: concurrent HTTP requests per instance; each open stream holds one (host.json allows 100).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 100

@description('Flex Consumption: instances kept warm (0 = scale to zero and accept cold starts).')
@minValue(0)
@maxValue(20)
param alwaysReadyInstances int = 0

@description('Whether the gateway\'s public endpoint accepts traffic (clients normally reach it there; Disabled needs your own inbound private endpoint).')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

// ---- Network ------------------------------------------------------------------------------------------------

@description('Existing subnet for VNet integration, delegated to Microsoft.App/environments (Flex Consumption) or Microsoft.Web/serverFarms (other plans). Empty: create a new virtual network.')
param existingIntegrationSubnetId string = ''

@description('Existing subnet for private endpoints (needed with deployRedis and an existing network).')
param existingPrivateEndpointSubnetId string = ''

@description('New network only: its address space.')
param vnetAddressPrefix string = '10.20.0.0/16'

@description('New network only: the integration subnet.')
param integrationSubnetPrefix string = '10.20.1.0/24'

@description('New network only: the private endpoint subnet.')
param privateEndpointSubnetPrefix string = '10.20.2.0/24'

// ---- Ollama -------------------------------------------------------------------------------------------------

@description('Private IP address of the Ollama VM (OLLAMA_HOST on the VM); Gateway__OllamaUrl becomes http://<address>:<port>.')
param ollamaPrivateAddress string

@description('Ollama\'s port.')
@minValue(1)
@maxValue(65535)
param ollamaPort int = 11434

@description('Several Ollama servers instead of one (Gateway__Upstreams__N__Name/Url/Weight); when set, Gateway__OllamaUrl is not (both together stop the gateway).')
param upstreams upstream[] = []

@description('Existing network security group of the Ollama VM; when set, rules are added that let only the integration subnet reach Ollama\'s port. Empty: add none.')
param ollamaNetworkSecurityGroupName string = ''

@description('Resource group of that network security group; empty for this deployment\'s.')
param ollamaNetworkSecurityGroupResourceGroup string = ''

@description('Priority of the allow rule (the deny rule takes the next number).')
@minValue(100)
@maxValue(4095)
param ollamaNetworkSecurityRulePriority int = 200

// ---- Keys ---------------------------------------------------------------------------------------------------

@description('Where the keys share is mounted in the app; Gateway__KeysFile is <path>/keys.json.')
param keysMountPath string = '/mounts/keys'

@description('Name of the Azure Files share that holds keys.json.')
param keysShareName string = 'gateway-keys'

// ---- Shared state (Redis) -------------------------------------------------------------------------------------

@description('Deploy Azure Managed Redis in the network so that limits and counters are shared by every instance.')
param deployRedis bool = false

@description('Azure Managed Redis SKU.')
param redisSku string = 'Balanced_B0'

@description('Azure Managed Redis clustering policy.')
@allowed([
  'EnterpriseCluster'
  'OSSCluster'
])
param redisClusteringPolicy string = 'EnterpriseCluster'

@description('Authenticate to the deployed Redis with the app\'s managed identity (Entra ID) instead of an access key.')
param redisUseEntraId bool = false

@description('Without deployRedis: a StackExchange.Redis configuration string for a Redis you already run, for example name.redis.cache.windows.net:6380,ssl=true,password=...; empty for none (state stays per instance).')
@secure()
param redisConfiguration string = ''

@description('Gateway__Redis__KeyPrefix: prefix of every key the gateway writes.')
param redisKeyPrefix string = 'ogw:'

// ---- Monitoring ---------------------------------------------------------------------------------------------

@description('Accept only Entra-authenticated telemetry in Application Insights.')
param monitoringLocalAuthDisabled bool = false

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Optional OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT) for the gateway\'s metrics, in addition to Azure Monitor.')
param otlpEndpoint string = ''

// ---- Gateway settings (README, "Configuration"; defaults are the README's) --------------------------------------

@description('Gateway__MaxRequestBodyBytes.')
param maxRequestBodyBytes int = 16777216

@description('Gateway__MaxReadBodyBytes.')
param maxReadBodyBytes int = 65536

@description('Gateway__MaxManagementBodyBytes; empty for no cap.')
param maxManagementBodyBytes string = ''

@description('Gateway__MaxTranslatedResponseBytes.')
param maxTranslatedResponseBytes int = 33554432

@description('Gateway__UpstreamFirstByteTimeout. On Azure, below 230 seconds (for example 00:03:30) lets the gateway answer 504 before the front end cuts the request.')
param upstreamFirstByteTimeout string = '00:10:00'

@description('Gateway__UpstreamIdleTimeout.')
param upstreamIdleTimeout string = '00:02:00'

@description('Gateway__UpstreamConnectTimeout.')
param upstreamConnectTimeout string = '00:00:10'

@description('Gateway__FailedAuthPerMinute.')
param failedAuthPerMinute int = 30

@description('Gateway__ShutdownDrainPeriod.')
param shutdownDrainPeriod string = '00:00:30'

@description('Gateway__MaxNumPredict.')
param maxNumPredict int = 8192

@description('Gateway__MaxNumCtx.')
param maxNumCtx int = 32768

@description('Gateway__MaxKeepAlive.')
param maxKeepAlive string = '00:30:00'

@description('Gateway__AllowedRegistries__N.')
param allowedRegistries string[] = [
  'registry.ollama.ai'
]

@description('Gateway__AllowInsecureRegistries.')
param allowInsecureRegistries bool = false

@description('Gateway__UpstreamHealth__ProbeInterval: how often each Ollama server is probed (several servers only).')
param upstreamProbeInterval string = '00:00:10'

@description('Gateway__UpstreamHealth__ProbeTimeout.')
param upstreamProbeTimeout string = '00:00:02'

@description('Gateway__UpstreamHealth__ReactivationPeriod: how long a server that failed stays out.')
param upstreamReactivationPeriod string = '00:00:30'

@description('Gateway__UpstreamInventoryInterval: how often each server\'s model lists are read.')
param upstreamInventoryInterval string = '00:00:10'

@description('Gateway__Usage__Enabled: the SQLite usage ledger. Off on Functions: instances have no shared disk for it.')
param usageEnabled bool = false

@description('Gateway__Metrics__Enabled: the gateway\'s metrics (/metrics and the OpenTelemetry export).')
param metricsEnabled bool = true

@description('Gateway__AccessLog__Enabled.')
param accessLogEnabled bool = true

// ---- Types ----------------------------------------------------------------------------------------------------

@description('One Ollama server of several.')
@sealed()
type upstream = {
  @description('Name used in logs and metrics.')
  name: string

  @description('Base URL, for example http://10.0.1.4:11434.')
  url: string

  @description('Relative share of requests; the gateway\'s default when absent.')
  weight: int?
}

// ---- Derived values -------------------------------------------------------------------------------------------

// The isolated worker's .NET version on the platform. It must match Gateway.Functions' target framework (net10.0);
// a test compares the two.
var dotnetVersion = '10.0'

var isFlex = hostingPlan == 'FlexConsumption'
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  'azd-env-name': environmentName
  application: 'ollama-gateway'
}
var appName = empty(functionAppName) ? 'func-ogw-${take(environmentName, 20)}-${resourceToken}' : functionAppName
var effectivePlanSku = !empty(planSku) ? planSku : hostingPlan == 'ElasticPremium' ? 'EP1' : 'P0v3'
var deploymentContainerName = 'app-package-${resourceToken}'
var createNetwork = empty(existingIntegrationSubnetId)

// Gateway__* settings that carry no secret (Gateway__Redis__Configuration is added by the app module, which
// alone reads the Redis key).
var ollamaUrlSettings = empty(upstreams)
  ? {
      Gateway__OllamaUrl: 'http://${ollamaPrivateAddress}:${ollamaPort}'
    }
  : {}

var upstreamEntries = flatten(map(
  range(0, length(upstreams)),
  i =>
    concat(
      [
        {
          key: 'Gateway__Upstreams__${i}__Name'
          value: upstreams[i].name
        }
        {
          key: 'Gateway__Upstreams__${i}__Url'
          value: upstreams[i].url
        }
      ],
      upstreams[i].?weight == null
        ? []
        : [
            {
              key: 'Gateway__Upstreams__${i}__Weight'
              value: string(upstreams[i].?weight)
            }
          ]
    )
))

var gatewaySettings = union(
  ollamaUrlSettings,
  toObject(upstreamEntries, entry => entry.key, entry => entry.value),
  toObject(range(0, length(allowedRegistries)), i => 'Gateway__AllowedRegistries__${i}', i => allowedRegistries[i]),
  {
    Gateway__KeysFile: '${keysMountPath}/keys.json'
    Gateway__MaxRequestBodyBytes: string(maxRequestBodyBytes)
    Gateway__MaxReadBodyBytes: string(maxReadBodyBytes)
    Gateway__MaxManagementBodyBytes: maxManagementBodyBytes
    Gateway__MaxTranslatedResponseBytes: string(maxTranslatedResponseBytes)
    Gateway__UpstreamFirstByteTimeout: upstreamFirstByteTimeout
    Gateway__UpstreamIdleTimeout: upstreamIdleTimeout
    Gateway__UpstreamConnectTimeout: upstreamConnectTimeout
    Gateway__FailedAuthPerMinute: string(failedAuthPerMinute)
    Gateway__ShutdownDrainPeriod: shutdownDrainPeriod
    Gateway__MaxNumPredict: string(maxNumPredict)
    Gateway__MaxNumCtx: string(maxNumCtx)
    Gateway__MaxKeepAlive: maxKeepAlive
    Gateway__AllowInsecureRegistries: allowInsecureRegistries ? 'true' : 'false'
    Gateway__Redis__KeyPrefix: redisKeyPrefix
    Gateway__Usage__Enabled: usageEnabled ? 'true' : 'false'
    Gateway__UpstreamHealth__ProbeInterval: upstreamProbeInterval
    Gateway__UpstreamHealth__ProbeTimeout: upstreamProbeTimeout
    Gateway__UpstreamHealth__ReactivationPeriod: upstreamReactivationPeriod
    Gateway__UpstreamInventoryInterval: upstreamInventoryInterval
    Gateway__AccessLog__Enabled: accessLogEnabled ? 'true' : 'false'
    Gateway__Metrics__Enabled: metricsEnabled ? 'true' : 'false'
  }
)

// ---- Resources ------------------------------------------------------------------------------------------------

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-ogw-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: 'log-ogw-${resourceToken}'
    applicationInsightsName: 'appi-ogw-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    disableLocalAuth: monitoringLocalAuthDisabled
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stogw${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    appPrincipalId: identity.outputs.principalId
  }
}

module fileShares 'modules/fileShares.bicep' = {
  name: 'file-shares'
  params: {
    name: 'stogwf${resourceToken}'
    location: location
    tags: tags
    keysShareName: keysShareName
    contentShareName: hostingPlan == 'ElasticPremium' ? toLower(take(appName, 63)) : ''
  }
}

module network 'modules/network.bicep' = if (createNetwork) {
  name: 'network'
  params: {
    name: 'vnet-ogw-${resourceToken}'
    location: location
    tags: tags
    addressPrefix: vnetAddressPrefix
    integrationSubnetPrefix: integrationSubnetPrefix
    privateEndpointSubnetPrefix: privateEndpointSubnetPrefix
    integrationDelegation: isFlex ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms'
  }
}

var integrationSubnetId = createNetwork ? network!.outputs.integrationSubnetId : existingIntegrationSubnetId
var privateEndpointSubnetId = createNetwork ? network!.outputs.privateEndpointSubnetId : existingPrivateEndpointSubnetId
// A subnet ID is <virtual network ID>/subnets/<name>.
var vnetId = createNetwork ? network!.outputs.vnetId : join(take(subnetIdParts, 9), '/')

// The integration subnet's address range, for the network security rule: known for a new network, read from an
// existing one. (A placeholder ID keeps the expressions valid when there is no existing subnet.)
var subnetIdParts = split(
  createNetwork
    ? '${resourceGroup().id}/providers/Microsoft.Network/virtualNetworks/none/subnets/none'
    : existingIntegrationSubnetId,
  '/'
)

resource existingIntegrationSubnet 'Microsoft.Network/virtualNetworks/subnets@2024-07-01' existing = if (!createNetwork) {
  scope: resourceGroup(subnetIdParts[2], subnetIdParts[4])
  name: '${subnetIdParts[8]}/${subnetIdParts[10]}'
}

var gatewaySubnetPrefix = createNetwork ? integrationSubnetPrefix : existingIntegrationSubnet!.properties.addressPrefix

module plan 'modules/plan.bicep' = {
  name: 'plan'
  params: {
    name: 'plan-ogw-${resourceToken}'
    location: location
    tags: tags
    hostingPlan: hostingPlan
    sku: effectivePlanSku
    maximumElasticWorkerCount: maximumInstanceCount
  }
}

module redis 'modules/redis.bicep' = if (deployRedis) {
  name: 'redis'
  params: {
    name: 'redis-ogw-${resourceToken}'
    location: location
    tags: tags
    sku: redisSku
    clusteringPolicy: redisClusteringPolicy
    useEntraId: redisUseEntraId
    appPrincipalId: identity.outputs.principalId
    privateEndpointSubnetId: privateEndpointSubnetId
    vnetId: vnetId
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'function-app'
  params: {
    name: appName
    location: location
    tags: tags
    azdServiceName: 'gateway'
    hostingPlan: hostingPlan
    planId: plan.outputs.id
    dotnetVersion: dotnetVersion
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
    filesAccountName: fileShares.outputs.name
    keysShareName: fileShares.outputs.keysShareName
    keysMountPath: keysMountPath
    contentShareName: hostingPlan == 'ElasticPremium' ? toLower(take(appName, 63)) : ''
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    monitoringLocalAuthDisabled: monitoringLocalAuthDisabled
    otlpEndpoint: otlpEndpoint
    integrationSubnetId: integrationSubnetId
    publicNetworkAccess: publicNetworkAccess
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    alwaysReadyInstances: alwaysReadyInstances
    gatewaySettings: gatewaySettings
    redisName: deployRedis ? redis!.outputs.name : ''
    redisHostName: deployRedis ? redis!.outputs.hostName : ''
    redisPort: deployRedis ? redis!.outputs.port : 0
    redisUseEntraId: redisUseEntraId
    externalRedisConfiguration: redisConfiguration
  }
}

module ollamaAccess 'modules/ollamaAccess.bicep' = if (!empty(ollamaNetworkSecurityGroupName)) {
  name: 'ollama-access'
  scope: resourceGroup(empty(ollamaNetworkSecurityGroupResourceGroup)
    ? resourceGroup().name
    : ollamaNetworkSecurityGroupResourceGroup)
  params: {
    networkSecurityGroupName: ollamaNetworkSecurityGroupName
    ollamaPrivateAddress: ollamaPrivateAddress
    ollamaPort: ollamaPort
    gatewaySubnetPrefix: gatewaySubnetPrefix
    priority: ollamaNetworkSecurityRulePriority
  }
}

// ---- Outputs (names azd stores in the environment; no secrets) -------------------------------------------------

@description('Name of the function app (azd deploys the gateway service to it).')
output AZURE_FUNCTION_NAME string = functionApp.outputs.name

@description('The gateway\'s base URL: OpenAI clients use <url>/v1, Ollama clients the URL itself.')
output GATEWAY_URL string = 'https://${functionApp.outputs.defaultHostName}'

@description('Storage account of the share to upload keys.json to.')
output GATEWAY_FILES_ACCOUNT string = fileShares.outputs.name

@description('Share to upload keys.json to.')
output GATEWAY_FILES_SHARE string = fileShares.outputs.keysShareName

@description('Integration subnet: the only source that may reach Ollama.')
output GATEWAY_INTEGRATION_SUBNET_ID string = integrationSubnetId

@description('Address range of the integration subnet, for the Ollama VM\'s network rule.')
output GATEWAY_INTEGRATION_SUBNET_PREFIX string = gatewaySubnetPrefix

@description('Host name of the deployed Redis, or empty.')
output REDIS_HOST_NAME string = deployRedis ? redis!.outputs.hostName : ''
