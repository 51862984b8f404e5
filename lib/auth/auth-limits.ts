/** Limits shared by better-auth's configuration and the forms that check input first. */
/** Console sessions last a working day; activity extends them, at most every 15 minutes. */
export const SESSION_SECONDS = 8 * 60 * 60;
export const SESSION_REFRESH_SECONDS = 15 * 60;
export const MIN_PASSWORD_LENGTH = 10;
