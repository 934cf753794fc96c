/** The page's one alert region: every failed Ack's message lands here, never a crash. */
export function AlertRegion({ message, onDismiss }: { message: string | null; onDismiss: () => void }) {
  return (
    <div role="alert" data-testid="alert" className={message ? 'alert alert-shown' : 'alert'}>
      {message && (
        <>
          <p>{message}</p>
          <button type="button" className="btn btn-quiet btn-small" onClick={onDismiss}>
            Dismiss
          </button>
        </>
      )}
    </div>
  );
}
