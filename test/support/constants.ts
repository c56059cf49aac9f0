export const TEMPLATE_DB = 'concord_template';
export const DEMO_PASSWORD = 'concord-test-demo';
