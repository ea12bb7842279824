// The one identity the function app runs as. User-assigned so that its role assignments (storage, monitoring,
// Redis) exist before the app first starts, and so that it survives a re-created app.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource ID of the identity.')
output id string = identity.id

@description('Client (application) ID, which the Functions host and Azure SDKs use to pick this identity.')
output clientId string = identity.properties.clientId

@description('Object (principal) ID, which role assignments name.')
output principalId string = identity.properties.principalId
