// A second storage account that holds only Azure Files shares: the share mounted into the app for keys.json and,
// on Elastic Premium, the app's content share. Azure Files mounts on Azure Functions authenticate with the
// account's access key (managed identity is not supported for SMB mounts), so this account must allow shared
// keys. Keeping it apart lets the function app's main storage account refuse shared keys altogether. The key is
// read with listKeys() by the function app module and never leaves the deployment.

@description('Name of the storage account (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Share mounted into the app; keys.json goes in it.')
param keysShareName string

@description('Size limit of the keys share in GiB (keys.json is a few KB).')
@minValue(1)
param keysShareQuotaGiB int = 1

@description('Content share for the Elastic Premium plan; empty on the other plans, which do not use one.')
param contentShareName string = ''

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // Required: an SMB mount on Azure Functions presents the account key.
    allowSharedKeyAccess: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    shareDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource keysShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2025-01-01' = {
  parent: fileService
  name: keysShareName
  properties: {
    enabledProtocols: 'SMB'
    shareQuota: keysShareQuotaGiB
  }
}

resource contentShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2025-01-01' = if (!empty(contentShareName)) {
  parent: fileService
  name: empty(contentShareName) ? 'unused' : contentShareName
  properties: {
    enabledProtocols: 'SMB'
  }
}

@description('Name of the storage account; the function app module reads its key with listKeys().')
output name string = account.name

@description('Name of the share that holds keys.json.')
output keysShareName string = keysShare.name
