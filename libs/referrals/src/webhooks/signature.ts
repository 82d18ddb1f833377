/** The signature is shared by every webhook Harbour sends (libs/kernel/src/webhooks/signed-delivery.ts). */
export { sign, verify } from '@harbour/kernel';
