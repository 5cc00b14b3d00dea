/**
 * FOCUS ServiceCategory for Azure meter categories. Unknown categories map to "Other" rather than
 * failing: a new Azure service must never block a sync.
 */
const CATEGORY_BY_METER_CATEGORY: Record<string, string> = {
  'virtual machines': 'Compute',
  'azure kubernetes service': 'Compute',
  'azure functions': 'Compute',
  functions: 'Compute',
  'container instances': 'Compute',
  'virtual machine scale sets': 'Compute',
  storage: 'Storage',
  backup: 'Storage',
  'azure backup': 'Storage',
  'sql database': 'Databases',
  'azure cosmos db': 'Databases',
  'azure database for postgresql': 'Databases',
  'azure database for mysql': 'Databases',
  'redis cache': 'Databases',
  'azure cache for redis': 'Databases',
  bandwidth: 'Networking',
  'virtual network': 'Networking',
  'load balancer': 'Networking',
  'azure dns': 'Networking',
  'application gateway': 'Networking',
  'vpn gateway': 'Networking',
  'azure app service': 'Web',
  'app service': 'Web',
  'azure monitor': 'Management and Governance',
  'log analytics': 'Management and Governance',
  'key vault': 'Security',
  'microsoft defender for cloud': 'Security',
  'event hubs': 'Integration',
  'service bus': 'Integration',
  'logic apps': 'Integration',
  'azure synapse analytics': 'Analytics',
  'azure data factory v2': 'Analytics',
  'cognitive services': 'AI and Machine Learning',
  'azure openai': 'AI and Machine Learning',
  'azure machine learning': 'AI and Machine Learning',
};

export function serviceCategoryOf(meterCategory: string): string {
  return CATEGORY_BY_METER_CATEGORY[meterCategory.trim().toLowerCase()] ?? 'Other';
}
