/** Who is logged in: the current user (or null), login, registration, profile, logout. */
import { api, ApiError } from './api.js';

/** @type {object | null} the `Me` resource */
let user = null;
const listeners = new Set();

export function currentUser() {
  return user;
}

function setUser(next) {
  user = next;
  for (const listener of listeners) listener(user);
}

/** Call `listener(user)` when someone logs in or out; returns a function that stops it. */
export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Ask the server who this browser is (the session cookie is HttpOnly). The session route
 * answers an anonymous reader with null rather than 401, so no page load logs an error.
 */
export async function loadSession() {
  try {
    ({ user } = await api.get('/auth/session'));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    user = null; // not logged in, or the server cannot be reached: read anonymously
  }
  return user;
}

export async function login(email, password) {
  const result = await api.post('/auth/login', { email, password });
  setUser(result.user);
}

export async function register(fields) {
  const result = await api.post('/auth/register', fields);
  setUser(result.user);
}

export async function updateProfile(fields) {
  const me = await api.patch('/me', fields);
  user = me; // the same person: views need not start over
  return me;
}

export async function logout() {
  try {
    await api.post('/auth/logout');
  } finally {
    setUser(null);
  }
}
