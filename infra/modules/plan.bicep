// The hosting plan: Linux Flex Consumption (default), Elastic Premium or Dedicated (App Service). Not the legacy
// Consumption plan: it has no VNet integration, buffers streamed responses on Linux and cannot mount Azure Files.

@description('Name of the plan.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Which plan: FlexConsumption, ElasticPremium or Dedicated.')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
  'Dedicated'
])
param hostingPlan string

@description('SKU for ElasticPremium (EP1, EP2, EP3) or Dedicated (for example P0v3, P1v3, S1); ignored on FlexConsumption, which is always FC1.')
param sku string

@description('Largest number of instances (ElasticPremium only; Flex Consumption sets it on the app).')
@minValue(1)
param maximumElasticWorkerCount int = 20

var isFlex = hostingPlan == 'FlexConsumption'
var isPremium = hostingPlan == 'ElasticPremium'

type planProperties = resourceInput<'Microsoft.Web/serverfarms@2024-11-01'>.properties

var linux planProperties = {
  reserved: true
}

// Elastic Premium caps its scale-out on the plan.
var premiumScale planProperties = isPremium
  ? {
      maximumElasticWorkerCount: maximumElasticWorkerCount
    }
  : {}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: isFlex ? 'functionapp' : isPremium ? 'elastic' : 'linux'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : isPremium
        ? {
            name: sku
            tier: 'ElasticPremium'
          }
        : {
            name: sku
          }
  properties: union(linux, premiumScale)
}

@description('Resource ID of the plan.')
output id string = plan.id
