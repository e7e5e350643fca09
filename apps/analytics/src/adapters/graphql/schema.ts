import { findSchemaFile, loadSchemaFile } from '@flightdeck/subgraph';

export const schemaPath = (): string => findSchemaFile(import.meta.url, 'analytics');
export const loadTypeDefs = () => loadSchemaFile(import.meta.url, 'analytics');
