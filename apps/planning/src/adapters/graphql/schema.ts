import { findSchemaFile, loadSchemaFile } from '@flightdeck/subgraph';

export const schemaPath = (): string => findSchemaFile(import.meta.url, 'planning');
export const loadTypeDefs = () => loadSchemaFile(import.meta.url, 'planning');
