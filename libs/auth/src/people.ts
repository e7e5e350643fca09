export { personOf, type Person } from '@flightdeck/kernel';
