// The toolbar badge and title of one tab, from its status.

import { BADGES, STATUS_LABELS } from '../lib/status.js';

export function showTabStatus(tabId, status) {
  const badge = BADGES[status];
  // A tab may close between the change and the update: nothing to show then.
  const ignoreGone = () => {};
  chrome.action.setBadgeText({ tabId, text: badge.text }).catch(ignoreGone);
  chrome.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(ignoreGone);
  chrome.action.setTitle({ tabId, title: `Contact Guard: ${STATUS_LABELS[status]}` }).catch(ignoreGone);
}
