// Azure Monitor: a Log Analytics workspace and a workspace-based Application Insights resource. The Functions host
// sends its logs there, and the gateway exports its OpenTelemetry metrics there when
// APPLICATIONINSIGHTS_CONNECTION_STRING is set (see the function app module).

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights resource.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('When true, telemetry is accepted only with a Microsoft Entra token (the identity below gets Monitoring Metrics Publisher). Every exporter in the app must then authenticate, including the gateway\'s own OpenTelemetry exporter.')
param disableLocalAuth bool = false

@description('Principal ID of the identity that publishes telemetry.')
param publisherPrincipalId string

// Built-in role "Monitoring Metrics Publisher".
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: disableLocalAuth
  }
}

resource publisherRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, publisherPrincipalId, monitoringMetricsPublisherRoleId)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      monitoringMetricsPublisherRoleId
    )
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Name of the Application Insights resource; the function app module reads its connection string itself.')
output applicationInsightsName string = applicationInsights.name

@description('Resource ID of the Log Analytics workspace.')
output workspaceId string = workspace.id
