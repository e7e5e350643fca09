#!/usr/bin/env node
// Runs the TypeScript sources through tsx (the bundle in dist/ runs without it: node dist/main.js).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
