/**
 * The user's own name in the Cameos view (who "Only me" means), against real services: an
 * empty or control-character name is refused in the form and by main; a valid one is saved
 * to the library (a new services instance on the same folder reads it back), and the consent
 * form's "Only me" names it.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { inProcessClient } from '../../main/bridge/in-process.js';
import { ShotlineServices } from '../../main/services/shotline.js';
import { UserNameField } from '../../renderer/src/components/cameos/UserNameField.js';
import { NewCameoDialog } from '../../renderer/src/components/cameos/NewCameoDialog.js';
import { useCameos } from '../../renderer/src/state/cameos.js';
import { api } from '../../renderer/src/client.js';
import { shimDialogMethods, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  shimDialogMethods();
  h = await startHarness();
});
afterAll(() => h?.close());
afterEach(cleanup);

describe('UserNameField', () => {
  it('refuses an empty or multi-line name, saves a valid one, and main keeps it', async () => {
    render(<UserNameField />);
    const field = screen.getByTestId('cameo-user-name') as HTMLInputElement;
    await waitFor(() => expect(field.value).not.toBe('')); // the OS user name until one is set
    const save = screen.getByTestId('cameo-user-save') as HTMLButtonElement;

    fireEvent.change(field, { target: { value: '   ' } });
    expect(screen.getByTestId('cameo-user-error').textContent).toMatch(/Type your name: it is who “Only me” means/);
    expect(save.disabled).toBe(true);
    fireEvent.change(field, { target: { value: 'Ana\tLopez' } });
    expect(screen.getByTestId('cameo-user-error').textContent).toMatch(/control character/);
    // Main refuses it too (a renderer that skipped the check).
    await expect(api().call('cameos.setUser', { name: ' ' })).rejects.toThrow(/Type your name/);
    await expect(api().call('cameos.setUser', { name: 'a\nb' })).rejects.toThrow(/control character/);

    fireEvent.change(field, { target: { value: '  Ana López ' } });
    expect(screen.queryByTestId('cameo-user-error')).toBeNull();
    await act(async () => fireEvent.submit(field.closest('form')!));
    await waitFor(() => expect(useCameos.getState().userName).toBe('Ana López'));
    expect(field.value).toBe('Ana López');
    expect(save.disabled).toBe(true);
    // Persisted in the library: a second services instance on the same folder reads it.
    const other = await ShotlineServices.create({ transport: 'in-process', userDataDir: path.join(h.dir, 'home') });
    try {
      expect((await inProcessClient(other).call('cameos.user', {})).name).toBe('Ana López');
    } finally {
      await other.shutdown();
    }
  });

  it('the consent form shows who "Only me" is and edits the same name', async () => {
    await api().call('cameos.setUser', { name: 'Ana López' });
    useCameos.setState({ userName: null });
    render(<NewCameoDialog onClose={() => {}} />);
    fireEvent.change(screen.getByTestId('cameo-file-stills'), { target: { files: [new File([new Uint8Array(8)], 'ana.png', { type: 'image/png' })] } });
    fireEvent.click(screen.getByTestId('cameo-files-next'));
    await waitFor(() => expect(screen.getByTestId('consent-form')).toBeTruthy());
    const only = screen.getByTestId('consent-audience').querySelector('option[value="only-me"]')!;
    expect(only.textContent).toBe('Only me (Ana López)');
    const field = screen.getByTestId('consent-form').querySelector('[data-testid="cameo-user-name"]') as HTMLInputElement;
    fireEvent.change(field, { target: { value: 'Ana' } });
    await act(async () => fireEvent.submit(field.closest('form')!));
    await waitFor(() => expect(only.textContent).toBe('Only me (Ana)'));
  });
});
