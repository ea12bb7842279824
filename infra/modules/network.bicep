// A new virtual network for the gateway: a subnet delegated to the function app's VNet integration, and a subnet
// for private endpoints (Redis). Put the Ollama VM in this network or peer this network with the VM's. To use a
// network you already have instead, pass its subnet IDs to main.bicep and this module is not deployed.

@description('Name of the virtual network.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Address space of the network.')
param addressPrefix string

@description('Subnet for VNet integration: the app\'s outbound traffic to Ollama leaves from here.')
param integrationSubnetPrefix string

@description('Subnet for private endpoints.')
param privateEndpointSubnetPrefix string

@description('Service the integration subnet is delegated to: Microsoft.App/environments for Flex Consumption, Microsoft.Web/serverFarms for Elastic Premium and Dedicated plans.')
@allowed([
  'Microsoft.App/environments'
  'Microsoft.Web/serverFarms'
])
param integrationDelegation string

var integrationSubnetName = 'gateway-integration'
var privateEndpointSubnetName = 'private-endpoints'

resource vnet 'Microsoft.Network/virtualNetworks@2024-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: integrationSubnetName
        properties: {
          addressPrefix: integrationSubnetPrefix
          delegations: [
            {
              name: 'function-app-integration'
              properties: {
                serviceName: integrationDelegation
              }
            }
          ]
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

@description('Resource ID of the virtual network.')
output vnetId string = vnet.id

@description('Resource ID of the integration subnet.')
output integrationSubnetId string = resourceId(
  'Microsoft.Network/virtualNetworks/subnets',
  vnet.name,
  integrationSubnetName
)

@description('Resource ID of the private endpoint subnet.')
output privateEndpointSubnetId string = resourceId(
  'Microsoft.Network/virtualNetworks/subnets',
  vnet.name,
  privateEndpointSubnetName
)
