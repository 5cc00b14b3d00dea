// Debian's Chromium driven by playwright-core: no browser download, ever.
import { chromium } from 'playwright-core';

/** With `fixedTime`, every page's Date reads that moment (timers still run). */
export async function launchChromium({ fixedTime } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  if (fixedTime) {
    const newPage = browser.newPage.bind(browser);
    browser.newPage = async (...args) => {
      const page = await newPage(...args);
      await page.clock.setFixedTime(fixedTime);
      return page;
    };
  }
  return browser;
}
