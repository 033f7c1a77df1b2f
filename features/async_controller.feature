@async_controller
Feature: Asynchronous invocation with controllers
  addLeed does only what the client must wait for: it validates the leed,
  checks the slot is not booked already (a conditional write to a Bookings
  table stands in for the article's location lookup), stores the leed and
  answers. The bookkeeping goes to one controller, async_email_helper,
  invoked with InvocationType 'Event': Lambda queues the payload and returns
  at once; the controller matches on the payload's "function" field.
  Emails go out through SES, from a verified domain to verified addresses
  (the sandbox); the Emails table is the helper's ledger of what it sent,
  which keeps a duplicate delivery from mailing anyone twice.

    flowchart LR
      client -->|AddLeed| addLeed
      addLeed -->|conditional put| Bookings[(Bookings)]
      addLeed --> Leeds[(Leeds)]
      addLeed -->|201 at once| client
      addLeed -.->|Event: notifyUsers| helper[async_email_helper]
      addLeed -.->|Event: confirmPosting| helper
      helper -->|query trade| Subscriptions[(Subscriptions)]
      helper -->|claim one per recipient| Emails[(Emails)]
      helper -->|send_email| SES

  Background:
    Given the contracts in "contracts/"
    And the leedz app is deployed
    And "ann" with "ann@example.com" subscribes to "caricatures"
    And "scott.gross" with "scott@theleedz.com" subscribes to "caricatures"
    And a "AddLeed" request with:
      """
      {"id": "7c1e2d3f-4a5b-4c6d-8e7f-8091a2b3c4d5", "trade": "caricatures", "seller": "scott.gross",
       "sellerEmail": "scott@theleedz.com", "title": "Wedding reception, 3 hours", "date": "2026-06-20",
       "zip": "90210", "price": {"amount": 450, "currency": "USD"}}
      """

  @fakes_only
  Scenario: The client gets its answer before the helper runs
    When the "addLeed" function is invoked with it
    Then the response status is 201
    And the response conforms to the "AddLeedResponse" contract
    And the "async_email_helper" function ran never
    And SES sent 0 emails
    When the system settles
    Then the "async_email_helper" function ran twice
    And SES sent 2 emails
    And the "Emails" table holds 2 items

  @fakes_only
  Scenario: Subscribers hear of the leed, the seller gets a confirmation and no notice of their own leed
    When the "addLeed" function is invoked with it
    And the system settles
    Then the "Emails" item "ann@example.com" has "messageKey" equal to "7c1e2d3f-4a5b-4c6d-8e7f-8091a2b3c4d5#notifyUsers"
    And the "Emails" item "scott@theleedz.com" has "messageKey" equal to "7c1e2d3f-4a5b-4c6d-8e7f-8091a2b3c4d5#confirmPosting"
    And every payload the "async_email_helper" function received conforms to one of "NotifyUsers", "ConfirmPosting"
    And SES sent "ann@example.com" an email from "leedz@theleedz.com" with subject "New caricatures leed on 2026-06-20: Wedding reception, 3 hours"
    And SES sent "scott@theleedz.com" an email from "leedz@theleedz.com" with subject "Your leed is posted: Wedding reception, 3 hours"

  Scenario: A leed that breaks the AddLeed contract answers 400 and stores nothing
    Given the "AddLeed" request with "date" set to "20/06/2026"
    When the "addLeed" function is invoked with it
    Then the response status is 400
    And the response conforms to the "AddLeedResponse" contract
    And the message breaks its contract at "/date"
    And the "Leeds" table holds no items
    And the "Bookings" table holds no items
    And SES sent 0 emails

  Scenario: A slot that is booked already answers 409
    Given caricatures is already booked on 2026-06-20 in 90210
    When the "addLeed" function is invoked with it
    Then the response status is 409
    And the response conforms to the "AddLeedResponse" contract
    And the "Leeds" table holds no items

  @fakes_only
  Scenario: A client retrying its post gets 200 and nobody is emailed twice
    When the "addLeed" function is invoked with it
    And it is delivered 2 times
    And the system settles
    Then the response status is 200
    And the response conforms to the "AddLeedResponse" contract
    And the "async_email_helper" function ran twice
    And SES sent 2 emails

  @fakes_only
  Scenario: Lambda delivering an asynchronous event twice sends each email once
    Given every delivery on "lambda:async_email_helper" is duplicated
    When the "addLeed" function is invoked with it
    And the system settles
    Then the "async_email_helper" function ran 4 times
    And SES sent 2 emails

  @fakes_only
  Scenario: A subscriber whose address SES has not verified yet gets the email on Lambda's retry
    Given "ann@example.com" is verified with SES only after 2 minutes
    When the "addLeed" function is invoked with it
    And the system settles
    Then the "async_email_helper" function ran 4 times
    And SES sent 2 emails
    And the "Emails" table holds 2 items
    And SES sent "ann@example.com" an email from "leedz@theleedz.com" with subject "New caricatures leed on 2026-06-20: Wedding reception, 3 hours"

  @fakes_only
  Scenario: A payload naming no controller function is retried, then dropped
    Given a "NotifyUsers" payload with:
      """
      {"function": "sendInvoice", "id": "7c1e2d3f-4a5b-4c6d-8e7f-8091a2b3c4d5"}
      """
    When the "async_email_helper" function is invoked asynchronously with it
    And the system settles
    Then the "async_email_helper" function ran 3 times
    And SES sent 0 emails
