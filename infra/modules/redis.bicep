// Azure Managed Redis for the gateway's shared state (rate limits, concurrency and failed-authentication counters
// shared by every instance). Reachable only through a private endpoint in the gateway's virtual network.
// Authentication is either Microsoft Entra ID (the app's managed identity gets the built-in "default" access
// policy, and access keys are turned off) or an access key, which the function app module reads with listKeys()
// into Gateway__Redis__Configuration. No key ever leaves the deployment as an output.

@description('Name of the Azure Managed Redis resource.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Azure Managed Redis SKU, for example Balanced_B0 (smallest), Balanced_B1, MemoryOptimized_M10.')
param sku string = 'Balanced_B0'

@description('EnterpriseCluster: one endpoint, any client. OSSCluster: the client talks to each shard (faster, needs a cluster-aware client such as StackExchange.Redis).')
@allowed([
  'EnterpriseCluster'
  'OSSCluster'
])
param clusteringPolicy string = 'EnterpriseCluster'

@description('true: Microsoft Entra ID authentication with the app\'s managed identity, access keys off. false: access-key authentication.')
param useEntraId bool

@description('Principal ID of the identity the function app runs as (used with Entra ID).')
param appPrincipalId string

@description('Subnet that receives the private endpoint.')
param privateEndpointSubnetId string

@description('Virtual network whose DNS must resolve the cache to its private endpoint.')
param vnetId string

// The port every Azure Managed Redis database listens on (TLS).
var redisPort = 10000
var privateDnsZoneName = 'privatelink.redis.azure.net'

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Disabled'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: redisPort
    clusteringPolicy: clusteringPolicy
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: useEntraId ? 'Disabled' : 'Enabled'
  }
}

resource appAccess 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-07-01' = if (useEntraId) {
  parent: database
  name: 'gatewayapp'
  properties: {
    accessPolicyName: 'default'
    user: {
      objectId: appPrincipalId
    }
  }
}

resource privateDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: privateDnsZoneName
  location: 'global'
  tags: tags
}

resource dnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: privateDnsZone
  name: 'gateway-vnet'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnetId
    }
  }
}

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2024-07-01' = {
  name: '${name}-pe'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: '${name}-connection'
        properties: {
          privateLinkServiceId: cluster.id
          groupIds: [
            'redisEnterprise'
          ]
        }
      }
    ]
  }
}

resource privateDnsGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-07-01' = {
  parent: privateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'redis'
        properties: {
          privateDnsZoneId: privateDnsZone.id
        }
      }
    ]
  }
}

@description('Name of the Azure Managed Redis resource; the function app module reads its database from it.')
output name string = cluster.name

@description('Host name clients connect to.')
output hostName string = cluster.properties.hostName

@description('TLS port of the database.')
output port int = redisPort
