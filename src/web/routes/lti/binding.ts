/** The cookie binding a state to this browser: one per state, so parallel launches in several tabs do not clash. */
export const stateCookieName = (state: string): string => `pw_state_${state.slice(0, 16)}`;

/** The platform storage key under which the login stores this state's nonce. */
export const storageKey = (state: string): string => `pathwise_nonce_${state}`;

/** The form field the platform-storage re-post uses to prove it read the nonce back. */
export const STORAGE_PROOF_FIELD = 'lti_storage_nonce';
