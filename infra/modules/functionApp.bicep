// The function app that runs Gateway.Functions (.NET isolated worker) on Linux: VNet integration for its outbound
// traffic to Ollama, the keys share mounted for Gateway__KeysFile, every Gateway__* setting, identity-based host
// storage, Azure Monitor, and the transport hardening (HTTPS only, TLS 1.2, FTP off).

@description('Name of the function app; also the first label of its host name.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource; the app also gets azd-service-name.')
param tags object

@description('Service name in azure.yaml, so that `azd deploy` finds this app.')
param azdServiceName string

@description('Which plan the app runs on (see the plan module).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
  'Dedicated'
])
param hostingPlan string

@description('Resource ID of the plan.')
param planId string

@description('.NET version of the isolated worker, as the platform names it (10.0 for net10.0).')
param dotnetVersion string

@description('Resource ID of the user-assigned identity the app runs as.')
param identityId string

@description('Client ID of that identity.')
param identityClientId string

@description('The app\'s own storage account (identity access only).')
param storageAccountName string

@description('Blob container URL that receives the deployment package (Flex Consumption).')
param deploymentContainerUrl string

@description('Storage account that holds the Azure Files shares.')
param filesAccountName string

@description('Share that holds keys.json.')
param keysShareName string

@description('Where the keys share appears inside the app; Gateway__KeysFile points into it.')
param keysMountPath string

@description('Content share (Elastic Premium only; empty otherwise).')
param contentShareName string

@description('Application Insights resource the host and the gateway send telemetry to.')
param applicationInsightsName string

@description('Whether Application Insights accepts only Entra-authenticated telemetry.')
param monitoringLocalAuthDisabled bool

@description('Optional OTLP endpoint for the gateway\'s OpenTelemetry export (OTEL_EXPORTER_OTLP_ENDPOINT); empty to skip.')
param otlpEndpoint string

@description('Resource ID of the subnet the app integrates with (delegated for this plan).')
param integrationSubnetId string

@description('Whether the app\'s public endpoint accepts traffic. Disabled needs an inbound private endpoint that this template does not create.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

@description('Flex Consumption: memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Largest number of instances (Flex Consumption and Elastic Premium).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Flex Consumption: HTTP requests one instance serves at once (each open stream holds one).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

@description('Flex Consumption: instances kept warm for the HTTP functions (0 = scale to zero).')
@minValue(0)
param alwaysReadyInstances int

@description('Every Gateway__* app setting that carries no secret, as name/value pairs.')
param gatewaySettings object

@description('Azure Managed Redis deployed with this template, or empty.')
param redisName string

@description('Host name of that Redis.')
param redisHostName string

@description('TLS port of that Redis.')
param redisPort int

@description('Whether that Redis uses Entra ID (no password in the configuration string).')
param redisUseEntraId bool

@description('Gateway__Redis__Configuration for a Redis you run yourself, used when redisName is empty; empty for none.')
@secure()
param externalRedisConfiguration string

var isFlex = hostingPlan == 'FlexConsumption'
var isPremium = hostingPlan == 'ElasticPremium'

// The parts of the site below are combined with union(), which the compiler cannot check; typing each part with the
// resource's own types keeps every property name and value checked.
type siteProperties = resourceInput<'Microsoft.Web/sites@2024-11-01'>.properties
type siteConfig = resourceInput<'Microsoft.Web/sites@2024-11-01'>.properties.siteConfig

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource filesAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: filesAccountName
}

// Conditional: this module compiles to language version 2.0, where ARM reads every existing resource it declares,
// and there is no Redis to read unless one was deployed.
resource redisCluster 'Microsoft.Cache/redisEnterprise@2025-07-01' existing = if (!empty(redisName)) {
  name: redisName
}

resource redisDatabase 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' existing = if (!empty(redisName)) {
  parent: redisCluster
  name: 'default'
}

// StackExchange.Redis configuration strings. listKeys() sits in the branch ARM evaluates only when an access key is
// wanted; the key goes into the app setting and nowhere else.
var redisEndpoint = '${redisHostName}:${redisPort},ssl=True,abortConnect=False'
var redisConfiguration = empty(redisName)
  ? externalRedisConfiguration
  : redisUseEntraId ? redisEndpoint : '${redisEndpoint},password=${redisDatabase!.listKeys().primaryKey}'

var hostSettings = {
  // Identity-based connection: the host's storage account refuses shared keys.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // Lets DefaultAzureCredential (Redis with Entra ID, Azure Monitor with Entra ID) pick the app's identity.
  AZURE_CLIENT_ID: identityClientId
  // The host's logs, and the gateway's OpenTelemetry metrics through its Azure Monitor exporter.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
}

var entraTelemetrySettings = monitoringLocalAuthDisabled
  ? {
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }
  : {}

var otlpSettings = empty(otlpEndpoint)
  ? {}
  : {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint
    }

// Flex Consumption takes the runtime from functionAppConfig and rejects these settings; the other plans need them.
var classicRuntimeSettings = isFlex
  ? {}
  : {
      FUNCTIONS_EXTENSION_VERSION: '~4'
      FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
    }

// Elastic Premium keeps the app's files on an Azure Files share, which only an account key can open.
var premiumContentSettings = isPremium
  ? {
      WEBSITE_CONTENTAZUREFILECONNECTIONSTRING: 'DefaultEndpointsProtocol=https;AccountName=${filesAccount.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${filesAccount.listKeys().keys[0].value}'
      WEBSITE_CONTENTSHARE: contentShareName
    }
  : {}

var redisSettings = {
  Gateway__Redis__Configuration: redisConfiguration
}

// HTTPS only is on the site itself; these close the rest: TLS 1.2 or newer for the app and its deployment endpoint,
// no FTP.
var transportSettings siteConfig = {
  minTlsVersion: '1.2'
  scmMinTlsVersion: '1.2'
  ftpsState: 'Disabled'
  http20Enabled: true
}

// Flex Consumption declares the runtime in functionAppConfig; the other plans in linuxFxVersion. Dedicated plans
// need Always On (nothing else keeps the host running); Elastic Premium caps its scale-out on the site.
var planSiteSettings siteConfig = isFlex
  ? {}
  : union(
      {
        linuxFxVersion: 'DOTNET-ISOLATED|${dotnetVersion}'
        alwaysOn: hostingPlan == 'Dedicated'
      },
      isPremium
        ? {
            functionAppScaleLimit: maximumInstanceCount
          }
        : {}
    )

var appSettings = union(
  hostSettings,
  entraTelemetrySettings,
  otlpSettings,
  classicRuntimeSettings,
  premiumContentSettings,
  gatewaySettings,
  redisSettings
)

// Flex Consumption: runtime, scale and the package's blob container (read with the managed identity). The other
// plans have no functionAppConfig.
var flexProperties siteProperties = isFlex
  ? {
      functionAppConfig: {
        deployment: {
          storage: {
            type: 'blobContainer'
            value: deploymentContainerUrl
            authentication: {
              type: 'UserAssignedIdentity'
              userAssignedIdentityResourceId: identityId
            }
          }
        }
        runtime: {
          name: 'dotnet-isolated'
          version: dotnetVersion
        }
        scaleAndConcurrency: {
          instanceMemoryMB: instanceMemoryMB
          maximumInstanceCount: maximumInstanceCount
          alwaysReady: alwaysReadyInstances > 0
            ? [
                {
                  name: 'http'
                  instanceCount: alwaysReadyInstances
                }
              ]
            : []
          triggers: {
            http: {
              perInstanceConcurrency: httpPerInstanceConcurrency
            }
          }
        }
      }
    }
  : {}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, {
    'azd-service-name': azdServiceName
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: union(
    {
      serverFarmId: planId
      httpsOnly: true
      clientAffinityEnabled: false
      publicNetworkAccess: publicNetworkAccess
      // Outbound traffic to private addresses (Ollama, Redis's private endpoint) leaves through this subnet.
      virtualNetworkSubnetId: integrationSubnetId
      siteConfig: union(transportSettings, planSiteSettings)
    },
    flexProperties
  )
}

resource settings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

// keys.json lives on an Azure Files share so that keys change without a redeployment: every instance re-reads the
// file within seconds. An SMB mount presents the account key (identity is not supported for mounts).
resource mounts 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'azurestorageaccounts'
  properties: {
    'gateway-keys': {
      type: 'AzureFiles'
      protocol: 'Smb'
      accountName: filesAccount.name
      shareName: keysShareName
      mountPath: keysMountPath
      accessKey: filesAccount.listKeys().keys[0].value
    }
  }
}

// Deployments authenticate with Microsoft Entra ID; the legacy user/password publishing credentials stay off.
// (Flex Consumption deploys through its blob container and has neither endpoint.)
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = if (!isFlex) {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = if (!isFlex) {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the function app.')
output name string = site.name

@description('Host name clients use, for example name.azurewebsites.net.')
output defaultHostName string = site.properties.defaultHostName
