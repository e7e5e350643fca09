import { findSchemaFile, loadSchemaFile } from '@flightdeck/subgraph';

export const schemaPath = (): string => findSchemaFile(import.meta.url, 'deployment');
export const loadTypeDefs = () => loadSchemaFile(import.meta.url, 'deployment');
