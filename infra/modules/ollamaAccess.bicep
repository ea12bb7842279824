// Network rule for the Ollama VM. Ollama has no authentication, and when it listens on a non-loopback address it
// also skips its Host-header check: the network is all that keeps other machines off it. These two rules, added to
// the network security group on the VM's subnet or network interface, let only the gateway's integration subnet
// reach Ollama's port and refuse everyone else, including the rest of the virtual network (whose default rule
// would otherwise allow it).
//
// Deployed by main.bicep when ollamaNetworkSecurityGroupName is set, or on its own:
//   az deployment group create -g <vm-resource-group> -f infra/modules/ollamaAccess.bicep \
//     -p networkSecurityGroupName=<nsg> ollamaPrivateAddress=10.0.1.4 gatewaySubnetPrefix=10.20.1.0/24

@description('Existing network security group that protects the Ollama VM (its subnet\'s or its NIC\'s).')
param networkSecurityGroupName string

@description('The VM\'s private IP address that Ollama listens on (OLLAMA_HOST).')
param ollamaPrivateAddress string

@description('Ollama\'s port.')
@minValue(1)
@maxValue(65535)
param ollamaPort int = 11434

@description('Address prefix of the gateway\'s integration subnet: the only source allowed.')
param gatewaySubnetPrefix string

@description('Priority of the allow rule; the deny rule takes the next one. Lower numbers win: keep both below any broader allow rule of your own.')
@minValue(100)
@maxValue(4095)
param priority int = 200

resource nsg 'Microsoft.Network/networkSecurityGroups@2024-07-01' existing = {
  name: networkSecurityGroupName
}

resource allowGateway 'Microsoft.Network/networkSecurityGroups/securityRules@2024-07-01' = {
  parent: nsg
  name: 'allow-gateway-to-ollama'
  properties: {
    description: 'Only the OllamaGateway function app (its VNet integration subnet) may reach Ollama.'
    direction: 'Inbound'
    access: 'Allow'
    priority: priority
    protocol: 'Tcp'
    sourceAddressPrefix: gatewaySubnetPrefix
    sourcePortRange: '*'
    destinationAddressPrefix: ollamaPrivateAddress
    destinationPortRange: string(ollamaPort)
  }
}

resource denyOthers 'Microsoft.Network/networkSecurityGroups/securityRules@2024-07-01' = {
  parent: nsg
  name: 'deny-others-to-ollama'
  properties: {
    description: 'Ollama has no authentication: nobody else may reach its port.'
    direction: 'Inbound'
    access: 'Deny'
    priority: priority + 1
    protocol: '*'
    sourceAddressPrefix: '*'
    sourcePortRange: '*'
    destinationAddressPrefix: ollamaPrivateAddress
    destinationPortRange: string(ollamaPort)
  }
}

@description('Names of the two rules.')
output ruleNames string[] = [
  allowGateway.name
  denyOthers.name
]
